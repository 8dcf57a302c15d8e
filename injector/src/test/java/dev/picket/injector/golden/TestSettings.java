package dev.picket.injector.golden;

import java.util.Set;

import dev.picket.injector.mutate.InjectionSettings;
import dev.picket.injector.mutate.ResourceSettings;
import dev.picket.injector.mutate.SidecarSettings;
import dev.picket.injector.mutate.UidMode;

/**
 * The documented defaults, as the %test profile runs them. The endpoint tests compare the running
 * application against goldens made with these, so a drift between the two fails a test.
 */
public final class TestSettings {

    private TestSettings() {
    }

    public static SidecarSettings sidecar() {
        return new SidecarSettings("ghcr.io/picket-dev/picket:0.1.0", "IfNotPresent", true, UidMode.SEPARATE, 65532, 65532,
                new ResourceSettings("10m", "200m", "64Mi", "128Mi"));
    }

    public static InjectionSettings defaults() {
        return new InjectionSettings(sidecar(), TestNamespaces.INJECTOR_NAMESPACE, Set.of("kube-system"), "test");
    }

    public static InjectionSettings with(SidecarSettings sidecar) {
        return new InjectionSettings(sidecar, TestNamespaces.INJECTOR_NAMESPACE, Set.of("kube-system"), "test");
    }
}
