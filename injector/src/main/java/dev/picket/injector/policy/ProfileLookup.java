package dev.picket.injector.policy;

import java.util.List;

/** The WorkloadProfiles of one namespace as the injector's cache holds them, or why it cannot say. */
public sealed interface ProfileLookup {

    /** Every profile of the namespace (possibly none): the cache is in sync. */
    record Available(List<AdmissionProfile> profiles) implements ProfileLookup {
        public Available {
            profiles = List.copyOf(profiles);
        }
    }

    /** The cache cannot answer: not synced yet, the API server unreachable, or the namespace not watched. */
    record Unavailable(String reason) implements ProfileLookup {
    }
}
