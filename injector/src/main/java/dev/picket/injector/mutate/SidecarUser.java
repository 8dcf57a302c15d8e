package dev.picket.injector.mutate;

import java.util.List;
import java.util.Optional;

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

    static final List<String> SEPARATE_CAPABILITIES = List.of("KILL", "SYS_PTRACE");

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
        Optional<String> level = namespace.podSecurityEnforce().filter(l -> l.equals("baseline") || l.equals("restricted"));
        if (level.isPresent()) {
            return Result.problem(("namespace %s enforces Pod Security level \"%s\", which forbids the SYS_PTRACE capability "
                    + "of the separate-UID sidecar; annotate the pod with %s: same-as-app")
                    .formatted(namespace.name(), level.get(), PicketKeys.UID_MODE_ANNOTATION));
        }
        return Result.of(new SidecarUser(settings.uid(), settings.gid(), SEPARATE_CAPABILITIES, UidMode.SEPARATE));
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
