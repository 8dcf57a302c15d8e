package dev.picket.injector.mutate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.picket.injector.golden.TestNamespaces;
import dev.picket.injector.golden.TestSettings;
import dev.picket.injector.policy.PodSecurityGate;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** The capabilities of each UID mode, and the refusal where Pod Security forbids those of the separate mode. */
class SidecarUserTest {

    private static Pod pod() {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("example.org/app:1")
                .withNewSecurityContext().withRunAsUser(2000L).endSecurityContext().endContainer().endSpec()
                .build();
    }

    private static String deniedIn(String level) {
        NamespaceInfo ns = NamespaceInfo.known("team-" + level, Map.of(PicketKeys.NAMESPACE_LABEL, "enabled",
                PicketKeys.POD_SECURITY_ENFORCE_LABEL, level));
        return assertInstanceOf(Decision.Denied.class, new PodInjector(TestSettings.defaults()).inject(pod(), ns))
                .message();
    }

    /**
     * KILL to stop the app, SYS_PTRACE to read its /proc/PID entries; never DAC_READ_SEARCH, which would open
     * open_by_handle_at under the default seccomp profile.
     */
    @Test
    void separateModeAddsKillAndSysPtraceOnly() {
        Decision decision = new PodInjector(TestSettings.defaults()).inject(pod(), TestNamespaces.info("team-enabled"));
        Container picket = assertInstanceOf(Decision.Injected.class, decision).pod().getSpec().getInitContainers()
                .getFirst();
        assertEquals(65532L, picket.getSecurityContext().getRunAsUser());
        assertEquals(List.of("KILL", "SYS_PTRACE"), picket.getSecurityContext().getCapabilities().getAdd());
        assertEquals(List.of("ALL"), picket.getSecurityContext().getCapabilities().getDrop());
    }

    /** The gate must not report the sidecar for what the injector itself gave it (nor exempt anything more). */
    @Test
    void theGateExemptsExactlyWhatTheSidecarAdds() {
        assertEquals(Set.copyOf(SidecarUser.SEPARATE_CAPABILITIES), PodSecurityGate.SIDECAR_CAPABILITIES);
    }

    @Test
    void baselineRefusalNamesSysPtrace() {
        assertEquals("namespace team-baseline enforces Pod Security level \"baseline\", which forbids the SYS_PTRACE "
                + "capability of the separate-UID sidecar; annotate the pod with "
                + "picket.dev/sidecar-uid-mode: same-as-app", deniedIn("baseline"));
    }

    /** Restricted allows adding only NET_BIND_SERVICE, so KILL is refused there as well. */
    @Test
    void restrictedRefusalNamesBoth() {
        assertEquals("namespace team-restricted enforces Pod Security level \"restricted\", which forbids the KILL "
                + "and SYS_PTRACE capabilities of the separate-UID sidecar; annotate the pod with "
                + "picket.dev/sidecar-uid-mode: same-as-app", deniedIn("restricted"));
    }

    @Test
    void privilegedLevelAllowsTheSeparateMode() {
        NamespaceInfo ns = NamespaceInfo.known("team-privileged", Map.of(PicketKeys.NAMESPACE_LABEL, "enabled",
                PicketKeys.POD_SECURITY_ENFORCE_LABEL, "privileged"));
        assertInstanceOf(Decision.Injected.class, new PodInjector(TestSettings.defaults()).inject(pod(), ns));
        assertEquals(List.of(), SidecarUser.forbiddenBy("privileged"));
    }
}
