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

/** {@code spec.images.allow}: the repositories images may come from, as globs on the full repository name. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"repositories", "action"})
public class ImageAllowSpec {

    @JsonPropertyDescription("Required. Globs on the full repository name, registry included (docker.io/library/nginx"
            + " for nginx): * within one path segment, ** across segments, ? one character.")
    @Required
    @Size(min = 1, max = ProfileLimits.MAX_IMAGE_REPOSITORIES)
    private List<@Size(max = ProfileLimits.MAX_IMAGE_PATTERN_LENGTH) @Pattern(WorkloadProfileSchema.REPOSITORY_PATTERN) String> repositories;

    @JsonProperty(defaultValue = "warn")
    @JsonPropertyDescription("deny | warn, for an image from no listed repository. Absent: warn.")
    private ImageAction action;

    public ImageAllowSpec() {
    }

    public ImageAllowSpec(List<String> repositories, ImageAction action) {
        this.repositories = repositories;
        this.action = action;
    }

    public List<String> getRepositories() {
        return repositories;
    }

    public void setRepositories(List<String> repositories) {
        this.repositories = repositories;
    }

    public ImageAction getAction() {
        return action;
    }

    public void setAction(ImageAction action) {
        this.action = action;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageAllowSpec a && Objects.equals(repositories, a.repositories) && action == a.action;
    }

    @Override
    public int hashCode() {
        return Objects.hash(repositories, action);
    }

    @Override
    public String toString() {
        return "ImageAllowSpec{repositories=" + repositories + ", action=" + action + "}";
    }
}
