package dev.picket.injector.policy;

import java.util.Objects;

/**
 * One objection to a pod: its rule, what the profile says to do about it, and a sentence naming the container
 * (or volume, or the pod) and what is wrong.
 */
public record Finding(FindingRule rule, PolicyAction action, String detail) {

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(detail, "detail");
    }

    /** {@code [image_tag] container app: ...}: how a finding reads in warnings, denials and logs. */
    @Override
    public String toString() {
        return "[" + rule.code() + "] " + detail;
    }
}
