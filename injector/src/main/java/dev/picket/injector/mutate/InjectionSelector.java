package dev.picket.injector.mutate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;

/** Who is injected: the rules of issue #6, applied in a fixed order so the reported reason is predictable. */
public final class InjectionSelector {

    /** Skip, deny, or go ahead (both empty). */
    public record Selection(Optional<SkipReason> skip, Optional<String> denial) {
        static final Selection INJECT = new Selection(Optional.empty(), Optional.empty());

        static Selection skip(SkipReason reason) {
            return new Selection(Optional.of(reason), Optional.empty());
        }

        static Selection deny(String message) {
            return new Selection(Optional.empty(), Optional.of(message));
        }

        public boolean inject() {
            return skip.isEmpty() && denial.isEmpty();
        }
    }

    private InjectionSelector() {
    }

    public static Selection select(Pod pod, NamespaceInfo namespace, InjectionSettings settings) {
        // First, so that re-invocation and GitOps-injected pods are a no-op whatever else they carry.
        if (alreadyInjected(pod)) {
            return Selection.skip(SkipReason.ALREADY_INJECTED);
        }
        // Namespace exclusions beat even an explicit opt-in: a labelled pod in kube-system stays untouched.
        if (namespace.name().equals(settings.injectorNamespace())) {
            return Selection.skip(SkipReason.INJECTOR_NAMESPACE);
        }
        if (settings.excludedNamespaces().contains(namespace.name())) {
            return Selection.skip(SkipReason.EXCLUDED_NAMESPACE);
        }
        String label = labels(pod).get(PicketKeys.INJECT_LABEL);
        if ("false".equals(label)) {
            return Selection.skip(SkipReason.OPTED_OUT);
        }
        if (label != null && !"true".equals(label)) {
            // "yes" or "True" is ambiguous: guessing either way would surprise someone, so refuse loudly.
            return Selection.deny("label %s: \"%s\" must be \"true\" or \"false\""
                    .formatted(PicketKeys.INJECT_LABEL, label.replaceAll("\\p{Cntrl}", "?")));
        }
        if (label == null) {
            Optional<Boolean> enabled = namespace.injectionEnabled();
            if (enabled.isEmpty()) {
                return Selection.deny(("the labels of namespace %s could not be read, so it is unknown whether its pods "
                        + "must be injected").formatted(namespace.name()));
            }
            if (!enabled.get()) {
                return Selection.skip(SkipReason.NOT_SELECTED);
            }
        }
        PodSpec spec = pod.getSpec();
        if (spec != null && Boolean.TRUE.equals(spec.getHostNetwork())) {
            return Selection.skip(SkipReason.HOST_NETWORK);
        }
        if (spec != null && Boolean.TRUE.equals(spec.getHostPID())) {
            return Selection.skip(SkipReason.HOST_PID);
        }
        return Selection.INJECT;
    }

    static boolean alreadyInjected(Pod pod) {
        if (pod.getMetadata() != null && pod.getMetadata().getAnnotations() != null
                && pod.getMetadata().getAnnotations().containsKey(PicketKeys.STATUS_ANNOTATION)) {
            return true;
        }
        PodSpec spec = pod.getSpec();
        return spec != null && (hasPicket(spec.getInitContainers()) || hasPicket(spec.getContainers()));
    }

    private static boolean hasPicket(List<Container> containers) {
        return containers != null && containers.stream().anyMatch(c -> PicketKeys.CONTAINER_NAME.equals(c.getName()));
    }

    static Map<String, String> labels(Pod pod) {
        return pod.getMetadata() == null || pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    }

    static Map<String, String> annotations(Pod pod) {
        return pod.getMetadata() == null || pod.getMetadata().getAnnotations() == null
                ? Map.of()
                : pod.getMetadata().getAnnotations();
    }
}
