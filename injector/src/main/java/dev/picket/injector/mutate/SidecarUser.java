package dev.picket.injector.mutate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;

/**
 * The user and capabilities the sidecar runs with, or why it cannot run safely in this pod.
 *
 * @param capabilities added to the bounding set; see docs/injector.md for why they may not be effective
 */
public record SidecarUser(long uid, long gid, List<String> capabilities, UidMode mode) {

    /**
     * What the separate-UID sidecar adds (docs/injector.md, "UID modes and capabilities"): {@code KILL} to stop
     * processes of the app's UID when enforcing; {@code SYS_PTRACE} for the ptrace access checks on the app's
     * {@code /proc/PID} entries. Not {@code DAC_READ_SEARCH}, although {@code fd} (0500) and {@code environ} (0400)
     * of another UID need it: with it, the runtimes' default seccomp profile allows {@code open_by_handle_at}, which
     * reads files of the node's disk (the "shocker" escape). The sidecar reads the app's fds through
     * {@code /proc/PID/fdinfo} and its environment with {@code process_vm_readv} instead, both guarded by ptrace
     * checks only.
     */
    public static final List<String> SEPARATE_CAPABILITIES = List.of("KILL", "SYS_PTRACE");

    /**
     * The capabilities a container may add under each Pod Security Admission level that refuses some of ours: the
     * baseline list, and for restricted only {@code NET_BIND_SERVICE}.
     */
    private static final Map<String, Set<String>> POD_SECURITY_ALLOWED = Map.of(
            "baseline", Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                    "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"),
            "restricted", Set.of("NET_BIND_SERVICE"));

    /** Either a user or a problem that denies the pod. */
    public record Result(Optional<SidecarUser> user, Optional<String> problem) {
        static Result of(SidecarUser user) {
            return new Result(Optional.of(user), Optional.empty());
        }

        static Result problem(String message) {
            return new Result(Optional.empty(), Optional.of(message));
        }
    }

    public static Result resolve(UidMode mode, PodSpec spec, SidecarSettings settings, NamespaceInfo namespace) {
        return switch (mode) {
            case SEPARATE -> separate(settings, namespace);
            case SAME_AS_APP -> sameAsApp(spec);
        };
    }

    private static Result separate(SidecarSettings settings, NamespaceInfo namespace) {
        // A container that runs as the sidecar's own UID is not refused here: the pod-security gate reports it
        // (reason code sidecar_uid), as a warning or a denial depending on the profile (docs/injector.md).
        Optional<String> level = namespace.podSecurityEnforce().filter(POD_SECURITY_ALLOWED::containsKey);
        if (level.isPresent()) {
            List<String> forbidden = forbiddenBy(level.get());
            return Result.problem(("namespace %s enforces Pod Security level \"%s\", which forbids the %s %s "
                    + "of the separate-UID sidecar; annotate the pod with %s: same-as-app")
                    .formatted(namespace.name(), level.get(), names(forbidden),
                            forbidden.size() == 1 ? "capability" : "capabilities", PicketKeys.UID_MODE_ANNOTATION));
        }
        return Result.of(new SidecarUser(settings.uid(), settings.gid(), SEPARATE_CAPABILITIES, UidMode.SEPARATE));
    }

    /**
     * The separate-UID sidecar's capabilities that the Pod Security level refuses, in the order the sidecar adds them;
     * none for {@code privileged} (or any level that restricts no capabilities).
     */
    static List<String> forbiddenBy(String level) {
        Set<String> allowed = POD_SECURITY_ALLOWED.get(level);
        return allowed == null ? List.of() : SEPARATE_CAPABILITIES.stream().filter(c -> !allowed.contains(c)).toList();
    }

    /** "A", "A and B", "A, B and C". */
    private static String names(List<String> caps) {
        int last = caps.size() - 1;
        return last <= 0 ? String.join("", caps) : String.join(", ", caps.subList(0, last)) + " and " + caps.get(last);
    }

    private static Result sameAsApp(PodSpec spec) {
        List<Container> containers = spec.getContainers() == null ? List.of() : spec.getContainers();
        if (containers.isEmpty()) {
            return Result.problem("the pod has no containers, so the app's UID for the same-as-app sidecar is unknown");
        }
        Container app = containers.getFirst();
        Optional<Long> uid = effectiveUid(app, spec.getSecurityContext());
        if (uid.isEmpty()) {
            return Result.problem(("same-as-app UID mode needs the app's UID, but neither the pod nor container %s sets "
                    + "securityContext.runAsUser").formatted(app.getName()));
        }
        if (uid.get() == 0) {
            return Result.problem(("same-as-app UID mode would run the sidecar as root because container %s runs as UID 0; "
                    + "run the app as a non-root UID").formatted(app.getName()));
        }
        long gid = Optional.ofNullable(app.getSecurityContext()).map(SecurityContext::getRunAsGroup)
                .or(() -> Optional.ofNullable(spec.getSecurityContext()).map(PodSecurityContext::getRunAsGroup))
                .orElse(uid.get());
        return Result.of(new SidecarUser(uid.get(), gid, List.of(), UidMode.SAME_AS_APP));
    }

    /** The container's UID as Kubernetes resolves it; empty when only the image decides (unknowable here). */
    static Optional<Long> effectiveUid(Container container, PodSecurityContext pod) {
        return Optional.ofNullable(container.getSecurityContext()).map(SecurityContext::getRunAsUser)
                .or(() -> Optional.ofNullable(pod).map(PodSecurityContext::getRunAsUser));
    }
}
