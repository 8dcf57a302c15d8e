package dev.picket.injector.golden;

import java.util.Map;

import dev.picket.injector.mutate.NamespaceInfo;

/**
 * The namespaces golden cases may name in their "# namespace:" header, with their labels. The pure test
 * hands these labels to the injector; the endpoint test creates the same namespaces in the mock API server.
 */
public final class TestNamespaces {

    public static final Map<String, Map<String, String>> LABELS = Map.of(
            "team-enabled", Map.of("picket.dev/injection", "enabled"),
            "team-plain", Map.of(),
            "team-restricted", Map.of("picket.dev/injection", "enabled", "pod-security.kubernetes.io/enforce", "restricted"),
            "kube-system", Map.of(),
            "picket-system", Map.of());

    /** The injector namespace used by tests (application.properties, %test profile). */
    public static final String INJECTOR_NAMESPACE = "picket-system";

    private TestNamespaces() {
    }

    public static NamespaceInfo info(String name) {
        Map<String, String> labels = LABELS.get(name);
        if (labels == null) {
            throw new IllegalArgumentException("golden cases may only use the namespaces " + LABELS.keySet());
        }
        return NamespaceInfo.known(name, labels);
    }
}
