package dev.picket.injector.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The admission policies of a protected pod: the image policy of the WorkloadProfile that will govern it and the
 * pod-security gate in that profile's mode ({@code warn} without a profile). Pure: the pod as it will run (with the
 * sidecar), the namespace's profiles and the failure mode in, findings out.
 */
public final class AdmissionPolicy {

    private AdmissionPolicy() {
    }

    /**
     * @param failOpen {@code picket.injector.on-failure=allow}: a profile that cannot be resolved is a warning, and
     *                 the pod is judged as if no profile governed it; otherwise it is a denial and nothing else is checked
     */
    public static PolicyResult evaluate(Pod pod, ProfileLookup lookup, SidecarIdentity sidecar, boolean failOpen) {
        ProfileChoice.Governance governance = switch (lookup) {
            case ProfileLookup.Unavailable u -> new ProfileChoice.Unresolvable(u.reason());
            case ProfileLookup.Available a -> ProfileChoice.choose(a.profiles(), pod, sidecar.containerName());
        };
        List<Finding> findings = new ArrayList<>();
        Optional<AdmissionProfile> profile = Optional.empty();
        switch (governance) {
            case ProfileChoice.Unresolvable u -> {
                findings.add(new Finding(FindingRule.PROFILE_UNRESOLVED, failOpen ? PolicyAction.WARN : PolicyAction.DENY,
                        u.reason()));
                if (!failOpen) {
                    return new PolicyResult(profile, governance, findings);
                }
                findings.addAll(PodSecurityGate.check(pod, PolicyAction.WARN, sidecar));
            }
            case ProfileChoice.Ungoverned u -> findings.addAll(PodSecurityGate.check(pod, PolicyAction.WARN, sidecar));
            case ProfileChoice.Governed g -> {
                profile = Optional.of(g.profile());
                List<PodContainer> containers = PodContainer.of(pod.getSpec());
                findings.addAll(g.profile().images().check(containers, sidecar::fromConfiguredRepository));
                findings.addAll(PodSecurityGate.check(pod, g.profile().enforce() ? PolicyAction.DENY : PolicyAction.WARN,
                        sidecar));
            }
        }
        return new PolicyResult(profile, governance, findings);
    }
}
