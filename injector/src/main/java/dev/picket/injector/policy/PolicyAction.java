package dev.picket.injector.policy;

import java.util.Locale;
import java.util.Optional;

/** What a finding does to the admission: {@code deny} refuses the pod, {@code warn} admits it with a warning. */
public enum PolicyAction {
    DENY,
    WARN;

    /** The label value and the spelling in a profile. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<PolicyAction> parse(String text) {
        for (PolicyAction a : values()) {
            if (a.wire().equals(text)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
