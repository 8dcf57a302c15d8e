package dev.picket.injector.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * manifests/examples/demo: an app in a namespace labelled for injection, whose pods name a WorkloadProfile
 * that exists next to them and allows what the app does; and the profile stays out of the base install.
 */
class DemoExampleTest {

    private static final Path DEMO = ManifestTree.ROOT.resolve("examples/demo");

    private static List<HasMetadata> demo() {
        List<HasMetadata> objects = new ArrayList<>();
        for (var resource : ManifestTree.kustomization(DEMO).path("resources")) {
            objects.addAll(ManifestTree.plainFile(DEMO.resolve(resource.asText())));
        }
        return objects;
    }

    @Test
    void theDemoPodsAreInjectedAndUseTheirProfile() {
        List<HasMetadata> objects = demo();
        Namespace namespace = ManifestTree.one(objects, Namespace.class, "picket-demo");
        assertEquals("enabled", namespace.getMetadata().getLabels().get("picket.dev/injection"));
        Deployment app = ManifestTree.one(objects, Deployment.class, "picket-demo");
        assertEquals(namespace.getMetadata().getName(), app.getMetadata().getNamespace());
        assertNotEquals("false", app.getSpec().getTemplate().getMetadata().getLabels().get("picket.dev/inject"));

        String profileName = app.getSpec().getTemplate().getMetadata().getAnnotations().get("picket.dev/profile");
        GenericKubernetesResource profile = objects.stream()
                .filter(o -> "WorkloadProfile".equals(o.getKind()) && o.getMetadata().getName().equals(profileName))
                .map(GenericKubernetesResource.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no WorkloadProfile " + profileName + " in the example"));
        assertEquals(app.getMetadata().getNamespace(), profile.getMetadata().getNamespace(),
                "picket.dev/profile names a profile in the pod's own namespace");

        // The profile allows what the app does: its one listening port and its executable.
        int port = app.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
        List<Map<String, Object>> listen = profile.get("spec", "network", "listen");
        assertTrue(listen.stream().anyMatch(l -> Integer.valueOf(port).equals(l.get("port"))),
                "the profile must allow the app's port " + port + ": " + listen);
        assertEquals("python3", app.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand().get(0));
        List<Map<String, Object>> allow = profile.get("spec", "processes", "allow");
        assertTrue(allow.stream().anyMatch(a -> String.valueOf(a.get("exe")).startsWith("/usr/local/bin/python3")),
                "the profile must allow the python3 of the python image: " + allow);

        Service service = ManifestTree.one(objects, Service.class, "picket-demo");
        assertTrue(LabelSelectors.matches(new io.fabric8.kubernetes.api.model.LabelSelector(null, service.getSpec().getSelector()),
                app.getSpec().getTemplate().getMetadata().getLabels()), "the Service selects the demo pods");
    }

    @Test
    void theBaseInstallHasNoWorkloadProfile() {
        List<HasMetadata> install = ManifestTree.install();
        assertTrue(install.stream().noneMatch(o -> "WorkloadProfile".equals(o.getKind())),
                "examples are applied separately; the base installs no profile");
    }
}
