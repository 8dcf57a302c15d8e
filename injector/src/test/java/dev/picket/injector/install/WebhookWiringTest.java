package dev.picket.injector.install;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The MutatingWebhookConfiguration reaches the injector (Service name, namespace, path and port, and the
 * Service's port lands on the container's HTTPS port), and its selectors send exactly the pods that asked
 * for Picket, each to one webhook only.
 */
class WebhookWiringTest {

    private static List<HasMetadata> install;
    private static MutatingWebhookConfiguration configuration;

    @BeforeAll
    static void load() {
        install = ManifestTree.install();
        configuration = ManifestTree.one(install, MutatingWebhookConfiguration.class, "picket-injector");
    }

    private static MutatingWebhook webhook(String name) {
        return configuration.getWebhooks().stream().filter(w -> name.equals(w.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no webhook " + name));
    }

    @Test
    void everyWebhookCallsTheInjectorServiceAtMutateOnItsHttpsPort() {
        Service service = ManifestTree.one(install, Service.class, "picket-injector");
        Deployment deployment = ManifestTree.one(install, Deployment.class, "picket-injector");
        Container injector = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(2, configuration.getWebhooks().size());
        for (MutatingWebhook webhook : configuration.getWebhooks()) {
            ServiceReference ref = webhook.getClientConfig().getService();
            assertNotNull(ref, webhook.getName() + " must call a Service");
            assertNull(webhook.getClientConfig().getUrl(), webhook.getName() + " must not call a URL");
            assertAll(webhook.getName(),
                    () -> assertEquals(service.getMetadata().getName(), ref.getName()),
                    () -> assertEquals(service.getMetadata().getNamespace(), ref.getNamespace()),
                    () -> assertEquals("/mutate", ref.getPath()));
            ServicePort port = service.getSpec().getPorts().stream().filter(p -> p.getPort().equals(ref.getPort()))
                    .findFirst().orElseThrow(() -> new AssertionError(webhook.getName() + " calls port " + ref.getPort()
                            + ", which Service picket-injector does not have"));
            assertEquals("https", port.getName());
            ContainerPort target = injector.getPorts().stream()
                    .filter(p -> port.getTargetPort().getStrVal() != null
                            ? port.getTargetPort().getStrVal().equals(p.getName())
                            : port.getTargetPort().getIntVal().equals(p.getContainerPort()))
                    .findFirst().orElseThrow(() -> new AssertionError("Service port https targets "
                            + port.getTargetPort() + ", which the injector container does not expose"));
            // docs/injector.md: the injector serves HTTPS on 8443 only.
            assertEquals(8443, target.getContainerPort());
            assertEquals("https", target.getName());
        }
        assertTrue(LabelSelectors.matches(new io.fabric8.kubernetes.api.model.LabelSelector(null,
                service.getSpec().getSelector()), deployment.getSpec().getTemplate().getMetadata().getLabels()),
                "Service picket-injector does not select the injector's pods");
    }

    @Test
    void theServiceAlsoExposesTheManagementPortForMetrics() {
        Service service = ManifestTree.one(install, Service.class, "picket-injector");
        ServicePort metrics = service.getSpec().getPorts().stream().filter(p -> "metrics".equals(p.getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no metrics port"));
        assertEquals(9000, metrics.getPort());
        assertEquals("management", metrics.getTargetPort().getStrVal());
    }

    @Test
    void everyWebhookHasTheSettingsTheIssueAsksFor() {
        for (MutatingWebhook webhook : configuration.getWebhooks()) {
            assertAll(webhook.getName(),
                    () -> assertEquals("None", webhook.getSideEffects()),
                    () -> assertEquals(5, webhook.getTimeoutSeconds()),
                    () -> assertEquals("IfNeeded", webhook.getReinvocationPolicy()),
                    () -> assertEquals("Fail", webhook.getFailurePolicy()),
                    () -> assertEquals("Equivalent", webhook.getMatchPolicy()),
                    () -> assertEquals(List.of("v1"), webhook.getAdmissionReviewVersions()),
                    () -> assertEquals(1, webhook.getRules().size()));
            RuleWithOperations rule = webhook.getRules().get(0);
            assertAll(webhook.getName() + " rule",
                    () -> assertEquals(List.of("CREATE"), rule.getOperations()),
                    () -> assertEquals(List.of(""), rule.getApiGroups()),
                    () -> assertEquals(List.of("v1"), rule.getApiVersions()),
                    () -> assertEquals(List.of("pods"), rule.getResources()),
                    () -> assertEquals("Namespaced", rule.getScope()));
            assertNull(webhook.getClientConfig().getCaBundle(),
                    "caBundle is written by the injector (or cert-manager), never by the manifests");
        }
    }

    /**
     * Every combination that matters: namespace label picket.dev/injection (absent, enabled, another
     * value), the pod label picket.dev/inject (absent, "true", "false", an invalid value), in an ordinary
     * namespace and in the two excluded ones. Expected: which webhook receives the pod, or none.
     */
    @ParameterizedTest(name = "namespace {0} injection={1}, pod inject={2} -> {3}")
    @CsvSource(nullValues = "-", value = {
            "shop,          -,        -,     none",
            "shop,          -,        true,  pod",
            "shop,          -,        false, none",
            "shop,          -,        yes,   pod",
            "shop,          enabled,  -,     namespace",
            "shop,          enabled,  true,  namespace",
            "shop,          enabled,  false, none",
            "shop,          enabled,  yes,   namespace",
            "shop,          disabled, -,     none",
            "shop,          disabled, true,  pod",
            "shop,          disabled, false, none",
            "kube-system,   -,        true,  none",
            "kube-system,   enabled,  -,     none",
            "kube-system,   enabled,  true,  none",
            "picket-system, -,        true,  none",
            "picket-system, enabled,  -,     none",
            "picket-system, enabled,  true,  none",
    })
    void eachPodIsSentToExactlyTheWebhookItsLabelsAskFor(String namespace, String injection, String inject,
            String expected) {
        Map<String, String> namespaceLabels = new HashMap<>();
        // The API server sets this label on every namespace; the exclusions rely on it.
        namespaceLabels.put("kubernetes.io/metadata.name", namespace);
        if (injection != null) {
            namespaceLabels.put("picket.dev/injection", injection);
        }
        Map<String, String> podLabels = new HashMap<>(Map.of("app", "web"));
        if (inject != null) {
            podLabels.put("picket.dev/inject", inject);
        }
        List<String> receivers = new ArrayList<>();
        for (MutatingWebhook webhook : configuration.getWebhooks()) {
            if (LabelSelectors.matches(webhook.getNamespaceSelector(), namespaceLabels)
                    && LabelSelectors.matches(webhook.getObjectSelector(), podLabels)) {
                receivers.add(webhook.getName());
            }
        }
        List<String> expectedReceivers = switch (expected) {
            case "none" -> List.of();
            case "pod" -> List.of("pod.inject.picket.dev");
            case "namespace" -> List.of("namespace.inject.picket.dev");
            default -> throw new IllegalArgumentException(expected);
        };
        assertEquals(expectedReceivers, receivers);
    }

    @Test
    void bothWebhooksExcludeKubeSystemAndPicketSystemByNamespaceName() {
        for (MutatingWebhook webhook : List.of(webhook("namespace.inject.picket.dev"), webhook("pod.inject.picket.dev"))) {
            boolean excludes = webhook.getNamespaceSelector().getMatchExpressions().stream()
                    .anyMatch(r -> "kubernetes.io/metadata.name".equals(r.getKey()) && "NotIn".equals(r.getOperator())
                            && r.getValues().containsAll(List.of("kube-system", "picket-system")));
            assertTrue(excludes, webhook.getName() + " must exclude kube-system and picket-system by name");
        }
    }
}
