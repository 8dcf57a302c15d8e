package dev.picket.injector.install;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The injector Deployment as docs/injector.md needs it and Pod Security `restricted` (enforced in
 * picket-system) accepts it.
 */
class InjectorDeploymentTest {

    private static List<HasMetadata> install;
    private static Deployment deployment;
    private static PodSpec pod;
    private static Container injector;

    @BeforeAll
    static void load() {
        install = ManifestTree.install();
        deployment = ManifestTree.one(install, Deployment.class, "picket-injector");
        pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(1, pod.getContainers().size(), "one container");
        injector = pod.getContainers().get(0);
    }

    @Test
    void theInjectorPodPassesPodSecurityRestricted() {
        assertEquals(List.of(), PodSecurityRestricted.problems(pod));
    }

    @Test
    void itsNamespaceEnforcesRestricted() {
        Namespace namespace = ManifestTree.one(install, Namespace.class, "picket-system");
        Map<String, String> labels = namespace.getMetadata().getLabels();
        assertAll(
                () -> assertEquals("restricted", labels.get("pod-security.kubernetes.io/enforce")),
                () -> assertEquals("restricted", labels.get("pod-security.kubernetes.io/audit")),
                () -> assertEquals("restricted", labels.get("pod-security.kubernetes.io/warn")),
                () -> assertEquals("picket-system", deployment.getMetadata().getNamespace()));
    }

    @Test
    void twoReplicasSpreadOverNodesWithABudgetThatKeepsOne() {
        assertEquals(2, deployment.getSpec().getReplicas());
        assertEquals(0, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        assertTrue(pod.getTopologySpreadConstraints().stream()
                .anyMatch(t -> "kubernetes.io/hostname".equals(t.getTopologyKey())
                        && LabelSelectors.matches(t.getLabelSelector(), deployment.getSpec().getTemplate().getMetadata().getLabels())),
                "a topology spread over kubernetes.io/hostname that selects the injector's pods");
        PodDisruptionBudget budget = ManifestTree.one(install, PodDisruptionBudget.class, "picket-injector");
        assertEquals(1, budget.getSpec().getMinAvailable().getIntVal());
        assertEquals(deployment.getMetadata().getNamespace(), budget.getMetadata().getNamespace());
        assertTrue(LabelSelectors.matches(budget.getSpec().getSelector(), deployment.getSpec().getTemplate().getMetadata().getLabels()),
                "the PodDisruptionBudget must select the injector's pods");
        assertTrue(LabelSelectors.matches(deployment.getSpec().getSelector(), deployment.getSpec().getTemplate().getMetadata().getLabels()));
    }

    @Test
    void hardeningBeyondRestricted() {
        assertAll(
                () -> assertEquals(true, injector.getSecurityContext().getReadOnlyRootFilesystem()),
                () -> assertEquals("ghcr.io/picket-dev/picket-injector:0.1.0", injector.getImage()),
                () -> assertEquals("picket-injector", pod.getServiceAccountName()));
        // The root filesystem is read-only: /tmp must be a writable emptyDir.
        VolumeMount tmp = injector.getVolumeMounts().stream().filter(m -> "/tmp".equals(m.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError("no /tmp mount"));
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst().orElseThrow();
        assertNotNull(volume.getEmptyDir(), "/tmp must be an emptyDir");
        for (String resource : List.of("cpu", "memory")) {
            assertNotNull(injector.getResources().getRequests().get(resource), resource + " request");
            assertNotNull(injector.getResources().getLimits().get(resource), resource + " limit");
        }
    }

    @Test
    void probesUseTheManagementPort9000() {
        int management = injector.getPorts().stream().filter(p -> "management".equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no management port")).getContainerPort();
        assertEquals(9000, management);
        Map<String, Probe> probes = Map.of(
                "/q/health/started", injector.getStartupProbe(),
                "/q/health/live", injector.getLivenessProbe(),
                "/q/health/ready", injector.getReadinessProbe());
        probes.forEach((path, probe) -> {
            assertNotNull(probe, path + " probe");
            assertEquals(path, probe.getHttpGet().getPath());
            assertEquals("management", probe.getHttpGet().getPort().getStrVal(), path + " on the management port");
            assertEquals(null, probe.getHttpGet().getScheme(), path + " over plain HTTP");
        });
    }

    @Test
    void environmentNamesTheNamespaceFromTheDownwardApiAndTheTlsMode() {
        EnvVar namespace = env("PICKET_INJECTOR_NAMESPACE");
        assertEquals("metadata.namespace", namespace.getValueFrom().getFieldRef().getFieldPath());
        // The base works on a bare cluster: the injector makes its own CA.
        assertEquals("self-managed", env("PICKET_INJECTOR_TLS_MODE").getValue());
    }

    @Test
    void withCertManagerTheInjectorMountsTheCertificateSecret() {
        Kubectl.require();
        List<HasMetadata> objects = ManifestTree.built(ManifestTree.ROOT.resolve("overlays/cert-manager"));
        Deployment withCertManager = ManifestTree.one(objects, Deployment.class, "picket-injector");
        PodSpec spec = withCertManager.getSpec().getTemplate().getSpec();
        Container container = spec.getContainers().get(0);
        assertEquals(List.of(), PodSecurityRestricted.problems(spec));
        assertEquals("mounted", container.getEnv().stream().filter(e -> "PICKET_INJECTOR_TLS_MODE".equals(e.getName()))
                .findFirst().orElseThrow().getValue());
        VolumeMount tls = container.getVolumeMounts().stream()
                .filter(m -> "/etc/picket-injector/tls".equals(m.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError("the certificate must be mounted where mounted mode reads it"));
        Volume volume = spec.getVolumes().stream().filter(v -> v.getName().equals(tls.getName())).findFirst().orElseThrow();
        assertEquals("picket-injector-cert", volume.getSecret().getSecretName());
        io.fabric8.kubernetes.api.model.GenericKubernetesResource certificate = objects.stream()
                .filter(o -> "Certificate".equals(o.getKind()) && "picket-injector".equals(o.getMetadata().getName()))
                .map(io.fabric8.kubernetes.api.model.GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        Map<String, Object> certSpec = certificate.get("spec");
        assertEquals("picket-injector-cert", certSpec.get("secretName"));
        assertTrue(((List<?>) certSpec.get("dnsNames")).contains("picket-injector.picket-system.svc"),
                "the certificate must name the Service the API server calls");
        assertEquals("picket-system/picket-injector", objects.stream()
                .filter(o -> "MutatingWebhookConfiguration".equals(o.getKind())).findFirst().orElseThrow()
                .getMetadata().getAnnotations().get("cert-manager.io/inject-ca-from"));
    }

    private static EnvVar env(String name) {
        return injector.getEnv().stream().filter(e -> name.equals(e.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }
}
