package dev.picket.profile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code spec.images} compiled: each rule with its action filled in ({@code warn} where the profile left it out).
 * The sidecar carries it so that {@code GET /v1/profile} shows the whole profile; the injector enforces it.
 *
 * @param allow         repository patterns and the action for an image from none of them; empty: any repository
 * @param requireDigest the action for an image without a digest; empty: digests not required
 * @param denyTags      tag patterns and the action for an image with one of them; empty: any tag
 */
public record ImageRules(Optional<Rule> allow, Optional<ImageAction> requireDigest, Optional<Rule> denyTags) {

    /** No image rule: what a profile without {@code spec.images} means. */
    public static final ImageRules NONE = new ImageRules(Optional.empty(), Optional.empty(), Optional.empty());

    /** Patterns (repositories or tags) and the action when an image fails the rule. */
    public record Rule(List<String> patterns, ImageAction action) {
        public Rule {
            patterns = List.copyOf(patterns);
            Objects.requireNonNull(action, "action");
        }
    }

    public ImageRules {
        Objects.requireNonNull(allow, "allow");
        Objects.requireNonNull(requireDigest, "requireDigest");
        Objects.requireNonNull(denyTags, "denyTags");
    }

    /** Back to the spec form, every action written out; null when there is no rule at all. */
    ImagesSpec toSpec() {
        if (equals(NONE)) {
            return null;
        }
        return new ImagesSpec(
                allow.map(r -> new ImageAllowSpec(r.patterns(), r.action())).orElse(null),
                requireDigest.map(RequireDigestSpec::new).orElse(null),
                denyTags.map(r -> new DenyTagsSpec(r.patterns(), r.action())).orElse(null));
    }
}
