package dev.picket.injector.mutate;

import java.util.Set;

/**
 * Everything the pure injection depends on besides the pod and its namespace.
 *
 * @param injectorNamespace pods here are never injected (the injector must be able to start)
 * @param excludedNamespaces pods here are never injected (kube-system by default)
 * @param version recorded in the {@code picket.dev/status} annotation
 */
public record InjectionSettings(
        SidecarSettings sidecar,
        String injectorNamespace,
        Set<String> excludedNamespaces,
        String version) {

    public InjectionSettings {
        excludedNamespaces = Set.copyOf(excludedNamespaces);
    }
}
