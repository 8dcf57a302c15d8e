package dev.picket.injector.install;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * components/monitoring: what it installs (PodMonitors for the sidecars and the injector, the PrometheusRule,
 * the dashboard ConfigMap generated from the file), the release label and dashboard namespace and how
 * monitoring-settings changes them, that the PodMonitors find the containers and ports the injector really
 * injects and the install really runs, and the labels the sidecar PodMonitor's relabelings give a target.
 */
class MonitoringManifestsTest {

    private static final Path MONITORING = ManifestTree.ROOT.resolve("components/monitoring");
    private static final Path DASHBOARD = ManifestTree.ROOT.resolve("dashboards/picket.json");

    private static JsonNode plain(String file) {
        return StrictParser.documents(ManifestTree.read(MONITORING.resolve(file))).get(0);
    }

    private static List<HasMetadata> monitoringObjects(List<HasMetadata> objects) {
        return objects.stream().filter(o -> o.getApiVersion().startsWith("monitoring.coreos.com/")).toList();
    }

    @Test
    void theMonitoringOverlayInstallsPodMonitorsRulesAndTheDashboardWithTheDefaults() throws IOException {
        Kubectl.require();
        List<HasMetadata> objects = ManifestTree.built(ManifestTree.ROOT.resolve("overlays/monitoring"));
        List<String> monitoring = monitoringObjects(objects).stream()
                .map(o -> o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()
                        + " release=" + o.getMetadata().getLabels().get("release"))
                .sorted().toList();
        assertEquals(List.of(
                "PodMonitor picket-system/picket-injector release=prometheus",
                "PodMonitor picket-system/picket-sidecars release=prometheus",
                "PrometheusRule picket-system/picket release=prometheus"), monitoring);

        ConfigMap dashboard = ManifestTree.one(objects, ConfigMap.class, "picket-dashboard");
        assertAll(
                () -> assertEquals("picket-system", dashboard.getMetadata().getNamespace()),
                () -> assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"),
                        "Grafana's dashboard sidecar loads ConfigMaps labelled grafana_dashboard: \"1\""),
                () -> assertEquals(List.of("picket.json"), List.copyOf(dashboard.getData().keySet())),
                () -> assertEquals(Files.readString(DASHBOARD), dashboard.getData().get("picket.json"),
                        "the ConfigMap is generated from manifests/dashboards/picket.json, byte for byte"));
        // The base install stays installable on a cluster without prometheus-operator.
        assertTrue(monitoringObjects(ManifestTree.built(ManifestTree.root())).isEmpty(),
                "the base must not need the monitoring.coreos.com CRDs");
    }

    @Test
    void monitoringSettingsSetTheReleaseLabelAndTheDashboardsNamespace() {
        Kubectl.require();
        List<HasMetadata> objects = ManifestTree.built(ManifestTree.HARNESSES.resolve("everything"));
        List<HasMetadata> monitoring = monitoringObjects(objects);
        assertEquals(3, monitoring.size());
        for (HasMetadata o : monitoring) {
            assertEquals("kube-prometheus-stack", o.getMetadata().getLabels().get("release"), o.getKind() + " " + o.getMetadata().getName());
        }
        assertEquals("grafana", ManifestTree.one(objects, ConfigMap.class, "picket-dashboard").getMetadata().getNamespace());
    }

    /** Every pod the injector's golden cases inject carries the container and port the sidecar PodMonitor keeps. */
    @Test
    void theSidecarPodMonitorScrapesTheContainerAndPortTheInjectorAdds() throws IOException {
        JsonNode endpoint = plain("podmonitor-sidecars.yaml").at("/spec/podMetricsEndpoints/0");
        assertEquals("/q/metrics", endpoint.path("path").asText());
        String keptContainer = endpoint.path("relabelings").get(0).path("regex").asText();
        assertEquals("keep", endpoint.path("relabelings").get(0).path("action").asText());
        assertEquals("__meta_kubernetes_pod_container_name", endpoint.path("relabelings").get(0).path("sourceLabels").get(0).asText());

        Path golden = Path.of(System.getProperty("user.dir")).resolve("src/test/resources/inject");
        List<String> checked = new ArrayList<>();
        try (Stream<Path> files = Files.list(golden)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".injected.yaml")).sorted().toList()) {
                for (JsonNode doc : StrictParser.documents(Files.readString(file))) {
                    for (String list : List.of("initContainers", "containers")) {
                        for (JsonNode c : doc.path("spec").path(list)) {
                            if (keptContainer.equals(c.path("name").asText())) {
                                boolean port = false;
                                for (JsonNode p : c.path("ports")) {
                                    port |= endpoint.path("port").asText().equals(p.path("name").asText()) && p.path("containerPort").asInt() == 8789;
                                }
                                assertTrue(port, file.getFileName() + ": the injected " + keptContainer + " container has no port "
                                        + endpoint.path("port").asText() + " (8789)");
                                checked.add(file.getFileName().toString());
                            }
                        }
                    }
                }
            }
        }
        assertTrue(checked.size() >= 5, "expected injected pods among the golden cases, found " + checked);
    }

    @Test
    void theInjectorPodMonitorSelectsTheInjectorsPodsOnItsManagementPort() {
        List<HasMetadata> install = ManifestTree.install();
        Deployment injector = ManifestTree.one(install, Deployment.class, "picket-injector");
        JsonNode monitor = plain("podmonitor-injector.yaml");
        LabelSelector selector = new LabelSelector(null,
                Map.of(
                        "app.kubernetes.io/name", monitor.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText(),
                        "app.kubernetes.io/instance", monitor.at("/spec/selector/matchLabels/app.kubernetes.io~1instance").asText(),
                        "app.kubernetes.io/component", monitor.at("/spec/selector/matchLabels/app.kubernetes.io~1component").asText()));
        assertEquals(3, monitor.at("/spec/selector/matchLabels").size());
        assertTrue(LabelSelectors.matches(selector, injector.getSpec().getTemplate().getMetadata().getLabels()),
                "the selector must match the injector's pod template");
        assertEquals(injector.getMetadata().getNamespace(), monitor.at("/spec/namespaceSelector/matchNames/0").asText());
        assertEquals(1, monitor.at("/spec/namespaceSelector/matchNames").size());
        JsonNode endpoint = monitor.at("/spec/podMetricsEndpoints/0");
        Container container = injector.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(container.getPorts().stream().anyMatch(p -> endpoint.path("port").asText().equals(p.getName())
                && p.getContainerPort() == 9000), "the injector's metrics are on its container port management, 9000");
        assertEquals("/q/metrics", endpoint.path("path").asText());
    }

    // ---- what the sidecar PodMonitor's relabelings make of a discovered target ------------------------------

    private static Map<String, String> target(String pod, String container, String controllerKind, String controller, String appName) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("__address__", "10.1.2.3:8789");
        labels.put("__meta_kubernetes_namespace", "shop");
        labels.put("__meta_kubernetes_pod_name", pod);
        labels.put("__meta_kubernetes_pod_container_name", container);
        labels.put("__meta_kubernetes_pod_container_port_name", "management");
        if (controllerKind != null) {
            labels.put("__meta_kubernetes_pod_controller_kind", controllerKind);
            labels.put("__meta_kubernetes_pod_controller_name", controller);
        }
        if (appName != null) {
            labels.put("__meta_kubernetes_pod_label_app_kubernetes_io_name", appName);
        }
        return labels;
    }

    private static String workload(Map<String, String> target) {
        Optional<Map<String, String>> labels = Relabeling.apply(plain("podmonitor-sidecars.yaml")
                .at("/spec/podMetricsEndpoints/0/relabelings"), target);
        return labels.map(l -> l.get("workload")).orElse("(dropped)");
    }

    @Test
    void everySidecarSeriesGetsNamespacePodContainerJobAndWorkload() {
        Map<String, String> labels = Relabeling.apply(plain("podmonitor-sidecars.yaml").at("/spec/podMetricsEndpoints/0/relabelings"),
                target("web-5d8f7c9b4-x2x7q", "picket", "ReplicaSet", "web-5d8f7c9b4", "storefront")).orElseThrow();
        assertEquals(Map.of("namespace", "shop", "pod", "web-5d8f7c9b4-x2x7q", "container", "picket", "job", "picket-sidecar",
                "workload", "storefront"), labels);
    }

    @Test
    void theWorkloadIsTheAppNameElseTheOwnerElseThePod() {
        assertAll(
                () -> assertEquals("storefront", workload(target("web-5d8f7c9b4-x2x7q", "picket", "ReplicaSet", "web-5d8f7c9b4", "storefront"))),
                () -> assertEquals("checkout", workload(target("checkout-5d8f7c9b4-x2x7q", "picket", "ReplicaSet", "checkout-5d8f7c9b4", null)),
                        "a Deployment's ReplicaSet, pod-template-hash cut off"),
                () -> assertEquals("my-cache", workload(target("my-cache-x2x7q", "picket", "ReplicaSet", "my-cache", null)),
                        "a ReplicaSet of its own keeps its name: 'cache' is no pod-template-hash"),
                () -> assertEquals("db", workload(target("db-0", "picket", "StatefulSet", "db", null))),
                () -> assertEquals("node-agent", workload(target("node-agent-7xk2p", "picket", "DaemonSet", "node-agent", null))),
                () -> assertEquals("backup", workload(target("backup-28374650-q8z4t", "picket", "Job", "backup-28374650", null)),
                        "a CronJob's Job, schedule suffix cut off"),
                () -> assertEquals("migrate-2", workload(target("migrate-2-q8z4t", "picket", "Job", "migrate-2", null)),
                        "a Job of its own keeps its name"),
                () -> assertEquals("debug", workload(target("debug", "picket", null, null, null)), "a bare pod is its own workload"),
                () -> assertEquals("(dropped)", workload(target("web-5d8f7c9b4-x2x7q", "app", "ReplicaSet", "web-5d8f7c9b4", "storefront")),
                        "an app container with a port called management is not scraped"));
    }

    @Test
    void bothPodMonitorsSetTheJobNamesTheAlertsSelect() {
        for (String file : List.of("podmonitor-sidecars.yaml", "podmonitor-injector.yaml")) {
            JsonNode relabelings = plain(file).at("/spec/podMetricsEndpoints/0/relabelings");
            List<String> jobs = new ArrayList<>();
            relabelings.forEach(r -> {
                if ("job".equals(r.path("targetLabel").asText())) {
                    jobs.add(r.path("replacement").asText());
                }
            });
            assertEquals(1, jobs.size(), file);
            assertFalse(jobs.get(0).isBlank(), file);
            String rules = ManifestTree.read(ManifestTree.ROOT.resolve("prometheus/picket-rules.yaml"));
            assertTrue(rules.contains("up{job=\"" + jobs.get(0) + "\"}"), "the rules select up{job=\"" + jobs.get(0) + "\"}");
        }
    }
}
