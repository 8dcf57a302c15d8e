package dev.picket.injector.policy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * What the injector reads of a WorkloadProfile: the fields that select pods and the admission rules. The rest of
 * the profile is the sidecar's business.
 *
 * @param created   {@code metadata.creationTimestamp}; the oldest of several matching profiles wins
 * @param selector  {@code spec.selector}; empty: the profile governs only pods that name it
 * @param enforce   {@code spec.podSecurity: enforce}
 * @param problems  why the admission rules cannot be read (the profile is then unusable: the sidecar refuses it too)
 */
public record AdmissionProfile(String namespace, String name, Optional<Instant> created, Optional<LabelSelector> selector,
        ImagePolicy images, boolean enforce, List<String> problems) {

    public AdmissionProfile {
        problems = List.copyOf(problems);
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** {@code WorkloadProfile shop/web}: how messages name it. */
    public String display() {
        return "WorkloadProfile " + namespace + "/" + name;
    }
}
