package dev.picket.injector.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@code spec.images} of a WorkloadProfile, as the injector applies it. Every rule is optional and carries the action
 * for an image that fails it; absent actions were read as {@code warn}.
 */
public record ImagePolicy(Optional<Rule> allow, Optional<PolicyAction> requireDigest, Optional<Rule> denyTags) {

    public static final ImagePolicy NONE = new ImagePolicy(Optional.empty(), Optional.empty(), Optional.empty());

    /** Patterns (repository globs, or tag globs) and what happens to an image that fails the rule. */
    public record Rule(List<String> patterns, PolicyAction action) {
        public Rule {
            patterns = List.copyOf(patterns);
            Objects.requireNonNull(action, "action");
        }
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** The findings for every container not {@code exempt} (the injector's own sidecar), in the pod's order. */
    public List<Finding> check(List<PodContainer> containers, Predicate<PodContainer> exempt) {
        List<Finding> findings = new ArrayList<>();
        if (isEmpty()) {
            return findings;
        }
        for (PodContainer c : containers) {
            if (!exempt.test(c)) {
                check(c, findings);
            }
        }
        return findings;
    }

    private void check(PodContainer c, List<Finding> findings) {
        String subject = c.display() + ": image " + Messages.image(c.image());
        ImageReference ref;
        try {
            ref = ImageReference.parse(c.image());
        } catch (IllegalArgumentException e) {
            // Nothing can be said about an unreadable reference, so it fails as the strictest rule would.
            findings.add(new Finding(FindingRule.IMAGE_REFERENCE, strictest(),
                    subject + " is not a valid image reference: " + e.getMessage()));
            return;
        }
        allow.ifPresent(rule -> {
            if (rule.patterns().stream().noneMatch(p -> Wildcards.matches(p, ref.repository()))) {
                findings.add(new Finding(FindingRule.IMAGE_REPOSITORY, rule.action(), subject + " is from "
                        + ref.repository() + ", which no allowed repository matches (" + list(rule.patterns()) + ")"));
            }
        });
        requireDigest.ifPresent(action -> {
            if (!ref.pinned()) {
                findings.add(new Finding(FindingRule.IMAGE_DIGEST, action, subject + " is not pinned by an @sha256: digest"));
            }
        });
        denyTags.ifPresent(rule -> ref.effectiveTag().ifPresent(tag -> {
            if (rule.patterns().stream().anyMatch(p -> Wildcards.matches(p, tag))) {
                findings.add(new Finding(FindingRule.IMAGE_TAG, rule.action(), subject
                        + (ref.tag().isPresent() ? " uses the denied tag " : " has no tag, so it runs as the denied tag ")
                        + Messages.printable(tag, 128)));
            }
        }));
    }

    private PolicyAction strictest() {
        boolean deny = Stream.of(allow.map(Rule::action), requireDigest, denyTags.map(Rule::action))
                .flatMap(Optional::stream).anyMatch(a -> a == PolicyAction.DENY);
        return deny ? PolicyAction.DENY : PolicyAction.WARN;
    }

    private static String list(List<String> patterns) {
        String shown = String.join(", ", patterns.stream().limit(3).toList());
        return patterns.size() > 3 ? shown + ", and " + (patterns.size() - 3) + " more" : shown;
    }
}
