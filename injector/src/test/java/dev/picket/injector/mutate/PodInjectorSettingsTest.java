package dev.picket.injector.mutate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.picket.injector.golden.TestNamespaces;
import dev.picket.injector.golden.TestSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** The cluster-wide settings (the golden cases run with the defaults; these run with the others). */
class PodInjectorSettingsTest {

    private static Pod pod() {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("example.org/app:1")
                .withNewSecurityContext().withRunAsUser(2000L).endSecurityContext().endContainer().endSpec()
                .build();
    }

    private static SidecarSettings sidecar(boolean nativeSidecar, UidMode mode) {
        SidecarSettings d = TestSettings.sidecar();
        return new SidecarSettings(d.image(), d.imagePullPolicy(), nativeSidecar, mode, d.uid(), d.gid(), d.resources());
    }

    private static Pod injected(SidecarSettings sidecar, Pod pod) {
        Decision decision = new PodInjector(TestSettings.with(sidecar)).inject(pod, TestNamespaces.info("team-enabled"));
        return assertInstanceOf(Decision.Injected.class, decision).pod();
    }

    @Test
    void nativeFalseAppendsARegularContainerWithAllThreeProbes() {
        Pod pod = injected(sidecar(false, UidMode.SEPARATE), pod());
        List<Container> containers = pod.getSpec().getContainers();
        assertEquals(List.of("app", "picket"), containers.stream().map(Container::getName).toList());
        Container picket = containers.get(1);
        assertNull(picket.getRestartPolicy(), "restartPolicy is only for native sidecars");
        assertEquals("/q/health/ready", picket.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/started", picket.getStartupProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", picket.getLivenessProbe().getHttpGet().getPath());
        assertTrue(pod.getSpec().getInitContainers().isEmpty());
    }

    @Test
    void sameAsAppModeAsTheClusterDefault() {
        Pod pod = injected(sidecar(true, UidMode.SAME_AS_APP), pod());
        Container picket = pod.getSpec().getInitContainers().getFirst();
        assertEquals(2000L, picket.getSecurityContext().getRunAsUser());
        assertEquals(2000L, picket.getSecurityContext().getRunAsGroup());
        assertEquals(List.of(), picket.getSecurityContext().getCapabilities().getAdd());
        assertEquals(List.of("ALL"), picket.getSecurityContext().getCapabilities().getDrop());
    }

    @Test
    void anAnnotationOverridesTheClusterDefault() {
        Pod pod = pod();
        pod.getMetadata().setAnnotations(Map.of(PicketKeys.NATIVE_ANNOTATION, "true",
                PicketKeys.UID_MODE_ANNOTATION, "separate"));
        Pod result = injected(sidecar(false, UidMode.SAME_AS_APP), pod);
        Container picket = result.getSpec().getInitContainers().getFirst();
        assertEquals("Always", picket.getRestartPolicy());
        assertEquals(65532L, picket.getSecurityContext().getRunAsUser());
    }

    @Test
    void sameAsAppRefusesRoot() {
        Pod pod = pod();
        pod.getSpec().getContainers().getFirst().getSecurityContext().setRunAsUser(0L);
        Decision decision = new PodInjector(TestSettings.with(sidecar(true, UidMode.SAME_AS_APP)))
                .inject(pod, TestNamespaces.info("team-enabled"));
        assertTrue(assertInstanceOf(Decision.Denied.class, decision).message().contains("UID 0"));
    }

    @Test
    void unknownNamespaceLabelsDenyAPodThatDidNotChooseItself() {
        PodInjector injector = new PodInjector(TestSettings.defaults());
        Decision unlabelled = injector.inject(pod(), NamespaceInfo.unknown("team-x"));
        assertTrue(assertInstanceOf(Decision.Denied.class, unlabelled).message().contains("team-x"));

        Pod optedIn = pod();
        optedIn.getMetadata().setLabels(Map.of(PicketKeys.INJECT_LABEL, "true"));
        assertInstanceOf(Decision.Injected.class, injector.inject(optedIn, NamespaceInfo.unknown("team-x")));
    }

    @Test
    void aUserVolumeWithAReservedNameIsReportedNotOverwritten() {
        Pod pod = pod();
        pod.getSpec().setVolumes(List.of(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("picket-tmp")
                .withNewEmptyDir().endEmptyDir().build()));
        Decision decision = new PodInjector(TestSettings.defaults()).inject(pod, TestNamespaces.info("team-enabled"));
        assertTrue(assertInstanceOf(Decision.Denied.class, decision).message().contains("picket-tmp"));
    }
}
