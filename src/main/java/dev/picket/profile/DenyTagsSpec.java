package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Objects;

/** {@code spec.images.denyTags}: tags an image must not run by, e.g. {@code latest}. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"tags", "action"})
public class DenyTagsSpec {

    @JsonPropertyDescription("Required. Tags, * and ? allowed (e.g. latest, *-SNAPSHOT). An image with neither tag nor"
            + " digest runs as latest; an image pinned by digest passes, since the digest decides what runs.")
    @Required
    @Size(min = 1, max = ProfileLimits.MAX_DENY_TAGS)
    private List<@Size(max = 128) @Pattern(WorkloadProfileSchema.TAG_PATTERN) String> tags;

    @JsonProperty(defaultValue = "warn")
    @JsonPropertyDescription("deny | warn, for an image with a listed tag. Absent: warn.")
    private ImageAction action;

    public DenyTagsSpec() {
    }

    public DenyTagsSpec(List<String> tags, ImageAction action) {
        this.tags = tags;
        this.action = action;
    }

    public List<String> getTags() {
        return tags;
    }

    public void setTags(List<String> tags) {
        this.tags = tags;
    }

    public ImageAction getAction() {
        return action;
    }

    public void setAction(ImageAction action) {
        this.action = action;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenyTagsSpec d && Objects.equals(tags, d.tags) && action == d.action;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tags, action);
    }

    @Override
    public String toString() {
        return "DenyTagsSpec{tags=" + tags + ", action=" + action + "}";
    }
}
