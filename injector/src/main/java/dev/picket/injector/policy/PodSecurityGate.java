package dev.picket.injector.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;

/**
 * The pod-security gate: what in a protected pod could blind or bypass Picket. It knows what Pod Security Admission
 * cannot (the sidecar's UID, and that KILL and SETUID, harmless in the baseline level, reach across to Picket), and
 * repeats the baseline checks that matter for Picket so that a profile can enforce them per workload. Pure: the pod
 * as it will run (with the sidecar) in, findings out.
 */
public final class PodSecurityGate {

    /**
     * Capabilities a container may add without a finding: the Pod Security baseline list without {@code KILL}
     * (signal processes of any UID, Picket's included) and {@code SETUID} (become the sidecar's UID, then signal or
     * trace it).
     */
    public static final Set<String> ALLOWED_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SYS_CHROOT");

    /**
     * What the sidecar itself adds in separate-UID mode; not findings on the sidecar. The same set as the mutation's
     * {@code SidecarUser.SEPARATE_CAPABILITIES} (a test keeps them equal; this package may not depend on mutate).
     */
    public static final Set<String> SIDECAR_CAPABILITIES = Set.of("KILL", "SYS_PTRACE");

    private PodSecurityGate() {
    }

    /**
     * @param action  what every finding does ({@code deny} for {@code podSecurity: enforce})
     * @param sidecar which container is the injector's sidecar, if the pod has it
     */
    public static List<Finding> check(Pod pod, PolicyAction action, SidecarIdentity sidecar) {
        List<Finding> findings = new ArrayList<>();
        PodSpec spec = pod.getSpec();
        if (spec == null) {
            return findings;
        }
        if (Boolean.TRUE.equals(spec.getHostPID())) {
            findings.add(new Finding(FindingRule.HOST_PID, action, "the pod sets hostPID: true"));
        }
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            findings.add(new Finding(FindingRule.HOST_NETWORK, action, "the pod sets hostNetwork: true"));
        }
        if (Boolean.TRUE.equals(spec.getHostIPC())) {
            findings.add(new Finding(FindingRule.HOST_IPC, action, "the pod sets hostIPC: true"));
        }
        if (spec.getVolumes() != null) {
            for (Volume v : spec.getVolumes()) {
                if (v.getHostPath() != null) {
                    findings.add(new Finding(FindingRule.HOST_PATH_VOLUME, action, "volume "
                            + Messages.printable(String.valueOf(v.getName()), 63) + " mounts the node's "
                            + Messages.printable(String.valueOf(v.getHostPath().getPath()), 200)));
                }
            }
        }
        List<PodContainer> containers = PodContainer.of(spec);
        Optional<PodContainer> theSidecar = containers.stream().filter(c -> sidecar.is(c, pod)).findFirst();
        for (PodContainer c : containers) {
            boolean isSidecar = theSidecar.filter(s -> s == c).isPresent();
            SecurityContext sc = c.securityContext();
            if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
                findings.add(new Finding(FindingRule.PRIVILEGED, action, c.display() + " is privileged"));
            }
            List<String> added = added(sc, isSidecar);
            if (!added.isEmpty()) {
                findings.add(new Finding(FindingRule.ADDED_CAPABILITIES, action, c.display() + " adds "
                        + String.join(", ", added)));
            }
            if (sc != null && Boolean.TRUE.equals(sc.getAllowPrivilegeEscalation())) {
                findings.add(new Finding(FindingRule.PRIVILEGE_ESCALATION, action, c.display()
                        + " sets allowPrivilegeEscalation: true"));
            }
        }
        theSidecar.filter(s -> !sidecar.sameUidMode(pod)).ifPresent(s -> uid(s, spec.getSecurityContext()).ifPresent(
                sidecarUid -> {
                    for (PodContainer c : containers) {
                        if (c != s) {
                            Optional<Long> own = Optional.ofNullable(c.securityContext()).map(SecurityContext::getRunAsUser);
                            uid(c, spec.getSecurityContext()).filter(u -> u.equals(sidecarUid)).ifPresent(u -> findings.add(
                                    new Finding(FindingRule.SIDECAR_UID, action, c.display() + " runs as UID " + u
                                            + ", the sidecar's UID (" + (own.isPresent() ? "its own" : "the pod's")
                                            + " runAsUser)")));
                        }
                    }
                }));
        return findings;
    }

    /** Added capabilities outside the allowed set, normalised ({@code CAP_} dropped, upper case), sorted. */
    private static List<String> added(SecurityContext sc, boolean isSidecar) {
        Capabilities caps = sc == null ? null : sc.getCapabilities();
        if (caps == null || caps.getAdd() == null) {
            return List.of();
        }
        Set<String> out = new TreeSet<>();
        for (String raw : caps.getAdd()) {
            if (raw == null) {
                continue;
            }
            String cap = raw.toUpperCase(Locale.ROOT);
            cap = cap.startsWith("CAP_") ? cap.substring(4) : cap;
            if (!ALLOWED_CAPABILITIES.contains(cap) && !(isSidecar && SIDECAR_CAPABILITIES.contains(cap))) {
                out.add(Messages.printable(cap, 40));
            }
        }
        return List.copyOf(out);
    }

    /** The UID the container runs as when the pod says so: its own runAsUser, else the pod's. */
    static Optional<Long> uid(PodContainer c, PodSecurityContext pod) {
        return Optional.ofNullable(c.securityContext()).map(SecurityContext::getRunAsUser)
                .or(() -> Optional.ofNullable(pod).map(PodSecurityContext::getRunAsUser));
    }
}
