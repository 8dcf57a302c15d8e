package dev.picket.injector.policy;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;

/**
 * Which WorkloadProfile will govern a pod, decided exactly as its sidecar decides (the sidecar's
 * {@code ProfileSelection}, docs/kubernetes.md): the name the pod asks for ({@code PICKET_PROFILE_NAME} of the
 * sidecar container, else the annotation {@code picket.dev/profile}) picks that profile and only that one; without a
 * name, the profiles whose {@code spec.selector} matches the pod's labels are candidates, the oldest wins, then the
 * lowest name. Pure.
 */
public final class ProfileChoice {

    public static final String PROFILE_ANNOTATION = "picket.dev/profile";
    public static final String PROFILE_ENV = "PICKET_PROFILE_NAME";

    /** The outcome: a profile governs the pod, none does, or the one that should cannot be used. */
    public sealed interface Governance {
        String reason();
    }

    public record Governed(AdmissionProfile profile, String reason) implements Governance {
    }

    public record Ungoverned(String reason) implements Governance {
    }

    public record Unresolvable(String reason) implements Governance {
    }

    static final Comparator<AdmissionProfile> OLDEST_THEN_NAME = Comparator
            .comparing((AdmissionProfile p) -> p.created().orElse(null), Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .thenComparing(AdmissionProfile::name);

    private ProfileChoice() {
    }

    public static Governance choose(Collection<AdmissionProfile> profiles, Pod pod, String sidecarName) {
        Optional<String> name = requestedName(pod, sidecarName);
        if (name.isPresent()) {
            Optional<AdmissionProfile> named = profiles.stream().filter(p -> p.name().equals(name.get())).findFirst();
            if (named.isEmpty()) {
                return new Unresolvable("the pod names WorkloadProfile " + Messages.printable(name.get(), 253)
                        + " (" + PROFILE_ANNOTATION + "), which does not exist in its namespace");
            }
            return usable(named.get(), "named by the pod (" + PROFILE_ANNOTATION + ")");
        }
        Map<String, String> labels = pod.getMetadata() == null || pod.getMetadata().getLabels() == null ? Map.of()
                : pod.getMetadata().getLabels();
        List<AdmissionProfile> matching = profiles.stream()
                .filter(p -> p.selector().isPresent() && matches(p.selector().get(), labels))
                .sorted(OLDEST_THEN_NAME)
                .toList();
        if (matching.isEmpty()) {
            return new Ungoverned("no WorkloadProfile of the pod's namespace selects the pod's labels");
        }
        String reason = "spec.selector matches the pod's labels";
        if (matching.size() > 1) {
            reason += " (the oldest of " + matching.size() + " matching profiles)";
        }
        return usable(matching.getFirst(), reason);
    }

    private static Governance usable(AdmissionProfile p, String reason) {
        if (!p.valid()) {
            return new Unresolvable(p.display() + " (" + reason + ") is invalid: " + String.join("; ", p.problems()));
        }
        return new Governed(p, reason);
    }

    /** The sidecar's {@code PICKET_PROFILE_NAME} (what the sidecar uses first), else the pod's annotation. */
    static Optional<String> requestedName(Pod pod, String sidecarName) {
        PodSpec spec = pod.getSpec();
        if (spec != null) {
            for (List<Container> list : java.util.Arrays.asList(spec.getInitContainers(), spec.getContainers())) {
                if (list == null) {
                    continue;
                }
                for (Container c : list) {
                    if (sidecarName.equals(c.getName()) && c.getEnv() != null) {
                        for (EnvVar e : c.getEnv()) {
                            if (PROFILE_ENV.equals(e.getName()) && e.getValue() != null && !e.getValue().isEmpty()) {
                                return Optional.of(e.getValue());
                            }
                        }
                    }
                }
            }
        }
        return Optional.ofNullable(pod.getMetadata() == null || pod.getMetadata().getAnnotations() == null ? null
                : pod.getMetadata().getAnnotations().get(PROFILE_ANNOTATION)).filter(n -> !n.isEmpty());
    }

    /** Kubernetes label-selector semantics, as the sidecar applies them; an unknown operator matches nothing. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = labels.get(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (String.valueOf(r.getOperator())) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> labels.containsKey(r.getKey());
                    case "DoesNotExist" -> !labels.containsKey(r.getKey());
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
