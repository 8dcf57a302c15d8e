package dev.picket.injector.admission;

import java.util.List;
import java.util.Map;

import dev.picket.injector.config.InjectorConfig;
import dev.picket.injector.mutate.Decision;
import dev.picket.injector.mutate.InjectionSettings;
import dev.picket.injector.mutate.NamespaceInfo;
import dev.picket.injector.mutate.PicketKeys;
import dev.picket.injector.mutate.PodInjector;
import dev.picket.injector.mutate.PodJson;
import dev.picket.injector.mutate.PodPatch;
import dev.picket.injector.mutate.SkipReason;
import dev.picket.injector.policy.AdmissionPolicy;
import dev.picket.injector.policy.PolicyResult;
import dev.picket.injector.policy.ProfileLookup;
import dev.picket.injector.policy.SidecarIdentity;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The whole admission decision for a pod CREATE, without I/O: the injection ({@link PodInjector}), then, for a pod
 * that asked for Picket, the admission policies of the profile that will govern it. The webhook calls it with the
 * namespace and profiles from its caches; the golden tests call it with fixed ones.
 *
 * <p>The policies apply to every pod the webhook would inject: the pods that get the sidecar now, the pods that
 * already carry it (re-invocation after another webhook, GitOps-injected manifests) and the opted-in pods skipped
 * only for {@code hostNetwork} or {@code hostPID}. A pod that cannot be injected (invalid annotation, ...) follows
 * the failure mode as before and is not judged further.
 */
public final class AdmissionDecision {

    /** Where the profiles of a namespace come from. */
    @FunctionalInterface
    public interface Profiles {
        ProfileLookup lookup(String namespace);
    }

    private AdmissionDecision() {
    }

    public static AdmissionAnswer decide(Pod pod, NamespaceInfo namespace, Profiles profiles, PodInjector injector,
            InjectorConfig.OnFailure onFailure) {
        Pod asItWillRun;
        AdmissionAnswer answer;
        switch (injector.inject(pod, namespace)) {
            case Decision.Denied denied -> {
                return AdmissionAnswer.failure(onFailure, denied.message());
            }
            case Decision.Skipped skipped -> {
                if (!judged(skipped.reason(), pod, namespace, injector.settings())) {
                    return AdmissionAnswer.skipped(skipped.reason());
                }
                asItWillRun = pod;
                answer = AdmissionAnswer.skipped(skipped.reason());
                if (skipped.reason() == SkipReason.HOST_NETWORK || skipped.reason() == SkipReason.HOST_PID) {
                    // The pod asked for Picket and will not get it: say so where the user looks.
                    answer = answer.with(List.of("picket: the pod runs without the Picket sidecar ("
                            + skipped.reason().code() + "): " + skipped.reason().sentence()), List.of());
                }
            }
            case Decision.Injected injected -> {
                asItWillRun = injected.pod();
                answer = AdmissionAnswer.injected(PodPatch.diff(PodJson.toTree(pod), PodJson.toTree(injected.pod())));
            }
        }
        PolicyResult result = AdmissionPolicy.evaluate(asItWillRun, profiles.lookup(namespace.name()),
                sidecar(injector.settings()), onFailure == InjectorConfig.OnFailure.ALLOW);
        if (result.denied()) {
            return AdmissionAnswer.denied(result.denialMessage()).with(result.warnings(), result.findings());
        }
        return answer.with(result.warnings(), result.findings());
    }

    static SidecarIdentity sidecar(InjectionSettings settings) {
        return SidecarIdentity.of(PicketKeys.CONTAINER_NAME, settings.sidecar().image(), PicketKeys.IMAGE_ANNOTATION,
                PicketKeys.STATUS_ANNOTATION);
    }

    /**
     * Whether a skipped pod is still judged: hostNetwork and hostPID pods only reach those skips once selected;
     * an already injected pod is judged when it would be selected (not in an excluded namespace, not opted out,
     * labelled or in an enabled namespace, or in a namespace whose labels are unknown).
     */
    static boolean judged(SkipReason reason, Pod pod, NamespaceInfo namespace, InjectionSettings settings) {
        return switch (reason) {
            case HOST_NETWORK, HOST_PID -> true;
            case ALREADY_INJECTED -> {
                if (namespace.name().equals(settings.injectorNamespace())
                        || settings.excludedNamespaces().contains(namespace.name())) {
                    yield false;
                }
                Map<String, String> labels = pod.getMetadata() == null || pod.getMetadata().getLabels() == null ? Map.of()
                        : pod.getMetadata().getLabels();
                String label = labels.get(PicketKeys.INJECT_LABEL);
                yield label == null ? namespace.injectionEnabled().orElse(true) : label.equals("true");
            }
            default -> false;
        };
    }
}
