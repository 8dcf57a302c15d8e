package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Objects;

/** {@code spec.images.requireDigest}: present, every image must be pinned by {@code @sha256:} and 64 hex digits. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RequireDigestSpec {

    @JsonProperty(defaultValue = "warn")
    @JsonPropertyDescription("deny | warn, for an image without @sha256: digest. Absent: warn.")
    private ImageAction action;

    public RequireDigestSpec() {
    }

    public RequireDigestSpec(ImageAction action) {
        this.action = action;
    }

    public ImageAction getAction() {
        return action;
    }

    public void setAction(ImageAction action) {
        this.action = action;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequireDigestSpec r && action == r.action;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(action);
    }

    @Override
    public String toString() {
        return "RequireDigestSpec{action=" + action + "}";
    }
}
