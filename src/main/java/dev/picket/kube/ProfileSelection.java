package dev.picket.kube;

import dev.picket.profile.WorkloadProfile;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which WorkloadProfile governs the pod. Pure: profiles and the pod's labels in, a choice and its reason out.
 * <ol>
 * <li>A name (annotation {@code picket.dev/profile}, or {@code PICKET_PROFILE_NAME} which the injector copies
 * from it) picks that profile in the pod's namespace, and only that one: when it does not exist, no profile
 * applies (the selector is not consulted, since the pod asked for a specific one).</li>
 * <li>Otherwise every profile whose {@code spec.selector} matches the pod's labels is a candidate; a profile
 * without a selector matches no pod by labels, an empty selector {@code {}} matches every pod. Of several
 * candidates the oldest ({@code metadata.creationTimestamp}) wins, then the lowest name: deterministic, and
 * a newly created profile cannot silently take over pods that another one governs.</li>
 * </ol>
 *
 * @param chosen the profile, if any
 * @param reason a sentence for the log: how it was chosen, or why none was
 * @param others the other candidates when several matched (the ambiguity is reported as an Event)
 */
record ProfileSelection(Optional<WorkloadProfile> chosen, String reason, List<String> others) {

    static final Comparator<WorkloadProfile> OLDEST_THEN_NAME = Comparator
            .comparing((WorkloadProfile p) -> created(p), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(p -> p.getMetadata().getName());

    static ProfileSelection choose(Collection<WorkloadProfile> profiles, Optional<String> name,
            Map<String, String> podLabels) {
        if (name.isPresent()) {
            return profiles.stream().filter(p -> name.get().equals(p.getMetadata().getName())).findFirst()
                    .map(p -> new ProfileSelection(Optional.of(p), "named by the pod (picket.dev/profile: "
                            + name.get() + ")", List.of()))
                    .orElseGet(() -> new ProfileSelection(Optional.empty(), "the pod names WorkloadProfile "
                            + name.get() + " (picket.dev/profile), which does not exist in its namespace", List.of()));
        }
        List<WorkloadProfile> matching = profiles.stream()
                .filter(p -> p.getSpec() != null && p.getSpec().getSelector() != null)
                .filter(p -> matches(p.getSpec().getSelector(), podLabels))
                .sorted(OLDEST_THEN_NAME)
                .toList();
        if (matching.isEmpty()) {
            return new ProfileSelection(Optional.empty(),
                    "no WorkloadProfile in the namespace selects the pod's labels " + podLabels, List.of());
        }
        WorkloadProfile first = matching.getFirst();
        List<String> others = matching.stream().skip(1).map(p -> p.getMetadata().getName()).toList();
        String reason = "spec.selector matches the pod's labels";
        if (!others.isEmpty()) {
            reason += "; " + matching.size() + " profiles match (" + first.getMetadata().getName() + ", "
                    + String.join(", ", others) + "): using the oldest, " + first.getMetadata().getName()
                    + " (ties broken by name). Give the pod the annotation picket.dev/profile to choose";
        }
        return new ProfileSelection(Optional.of(first), reason, others);
    }

    /** Kubernetes label-selector semantics; an unknown operator matches nothing. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!Objects.equals(l.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = l.get(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (String.valueOf(r.getOperator())) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> l.containsKey(r.getKey());
                    case "DoesNotExist" -> !l.containsKey(r.getKey());
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Instant created(WorkloadProfile p) {
        String ts = p.getMetadata().getCreationTimestamp();
        if (ts == null) {
            return null;
        }
        try {
            return Instant.parse(ts);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
