package dev.picket.injector.mutate;

import java.util.Optional;

/** The sidecar as this pod gets it: cluster defaults with the pod's valid annotations applied. */
public record SidecarOverrides(
        String image,
        boolean nativeSidecar,
        UidMode uidMode,
        ResourceSettings resources,
        Optional<String> mode,
        Optional<String> profile) {
}
