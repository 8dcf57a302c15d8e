package dev.picket.injector.mutate;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The content of the {@code picket.dev/status} annotation: what was injected, so operators (and the
 * sidecar) can tell how a pod was set up without re-deriving it from the spec.
 */
@JsonPropertyOrder({ "version", "container", "mode", "uidMode", "image", "volumes" })
public record InjectionStatus(String version, String container, String mode, String uidMode, String image,
        List<String> volumes) {

    public InjectionStatus {
        volumes = List.copyOf(volumes);
    }
}
