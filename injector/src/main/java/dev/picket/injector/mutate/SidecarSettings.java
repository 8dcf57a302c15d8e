package dev.picket.injector.mutate;

/** Cluster-wide defaults for the sidecar; per-pod annotations may override some of them. */
public record SidecarSettings(
        String image,
        String imagePullPolicy,
        boolean nativeSidecar,
        UidMode uidMode,
        long uid,
        long gid,
        ResourceSettings resources) {
}
