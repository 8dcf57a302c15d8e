package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Objects;

/**
 * {@code spec.images}: the image policy the injector applies at admission to every container, init container and
 * ephemeral container of a pod this profile governs. Each rule is on when present and has its own action. The
 * sidecar validates it and does nothing else with it.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"allow", "requireDigest", "denyTags"})
public class ImagesSpec {

    @JsonPropertyDescription("Repositories images may come from. Absent: any repository.")
    private ImageAllowSpec allow;

    @JsonPropertyDescription("Present: images must be pinned by @sha256: digest. Absent: not required.")
    private RequireDigestSpec requireDigest;

    @JsonPropertyDescription("Tags images must not use, e.g. latest. Absent: any tag.")
    private DenyTagsSpec denyTags;

    public ImagesSpec() {
    }

    public ImagesSpec(ImageAllowSpec allow, RequireDigestSpec requireDigest, DenyTagsSpec denyTags) {
        this.allow = allow;
        this.requireDigest = requireDigest;
        this.denyTags = denyTags;
    }

    public ImageAllowSpec getAllow() {
        return allow;
    }

    public void setAllow(ImageAllowSpec allow) {
        this.allow = allow;
    }

    public RequireDigestSpec getRequireDigest() {
        return requireDigest;
    }

    public void setRequireDigest(RequireDigestSpec requireDigest) {
        this.requireDigest = requireDigest;
    }

    public DenyTagsSpec getDenyTags() {
        return denyTags;
    }

    public void setDenyTags(DenyTagsSpec denyTags) {
        this.denyTags = denyTags;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImagesSpec i && Objects.equals(allow, i.allow) && Objects.equals(requireDigest, i.requireDigest)
                && Objects.equals(denyTags, i.denyTags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(allow, requireDigest, denyTags);
    }

    @Override
    public String toString() {
        return "ImagesSpec{allow=" + allow + ", requireDigest=" + requireDigest + ", denyTags=" + denyTags + "}";
    }
}
