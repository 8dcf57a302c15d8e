package dev.picket.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.picket.profile.WorkloadProfile;
import dev.picket.profile.WorkloadProfileSpec;
import dev.picket.testing.Host;
import dev.picket.testing.PicketProcess;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The dashboard and the alerts against the real thing. The packaged sidecar runs as a process, as the sidecar
 * of pod shop/storefront-7d4b9c8f6d-x2x7q with its Kubernetes integration on (against the fabric8 mock API
 * server, which serves the pod and its WorkloadProfile), watching a real neighbour: a shell that, once the
 * profile is in force, starts two processes the profile does not allow (monitor mode: two violations,
 * action would_kill). Then:
 * <ul>
 * <li>every metric name the dashboard and the alerts use (the injector's aside, checked by the injector's
 * own tests) is in the sidecar's /q/metrics;</li>
 * <li>a real Prometheus (the Debian package) scrapes it every second, with the PodMonitor's relabelings and
 * the alert rules file, and every dashboard query and alert expression evaluates without error through
 * /api/v1/query, the violation queries return the violations, every rule evaluates healthy and
 * PicketViolations fires for the workload.</li>
 * </ul>
 * Prometheus is not a Kubernetes Prometheus here, so the labels Kubernetes service discovery would give the
 * target ({@code __meta_kubernetes_*}) are written into the scrape config, and the two relabelings
 * prometheus-operator derives from the PodMonitor's {@code port} and {@code path} are added before its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusScrapeIT {

    static final String NAMESPACE = "shop";
    static final String POD = "storefront-7d4b9c8f6d-x2x7q";
    static final String WORKLOAD = "storefront";
    static final Duration WAIT = Duration.ofSeconds(30);

    private static final Path ROOT = MonitoringQueries.repositoryRoot();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Path dir;
    private KubernetesServer api;
    private PicketProcess sidecar;
    private int managementPort;
    private PrometheusServer prometheus;

    @BeforeAll
    void startTheSidecarAndCauseTwoViolations() throws Exception {
        // Surefire runs *IT classes too when -Dtest names their package; the packaged jar exists only for failsafe.
        Assumptions.assumeTrue(System.getProperty("picket.it.jar") != null,
                "an integration test of the packaged sidecar: failsafe runs it after package (mvn verify)");
        Host.requireLinux();
        dir = Files.createTempDirectory("picket-prometheus-it");
        api = new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
        api.before();
        seed(api.getClient());

        Path trigger = dir.resolve("go");
        String neighbour = "while [ ! -e " + trigger + " ]; do sleep 0.2; done; "
                + "tail -f /dev/null & sleep 3; exec tail -f /dev/null";
        managementPort = PrometheusServer.freePort();
        sidecar = PicketProcess.start(dir.resolve("state"), PrometheusServer.freePort(), managementPort, dir.resolve("picket.log"),
                "picket.watch.command=" + neighbour,
                "picket.kube.enabled=true",
                "picket.kube.pod-name=" + POD,
                "picket.kube.pod-namespace=" + NAMESPACE,
                "picket.kube.status-interval=300ms",
                "picket.kube.profile-wait=5s",
                "quarkus.kubernetes-client.api-server-url=http://127.0.0.1:" + api.getKubernetesMockServer().getPort(),
                "quarkus.kubernetes-client.namespace=" + NAMESPACE,
                "quarkus.kubernetes-client.trust-certs=true");
        sidecar.awaitStarted(Duration.ofSeconds(60));
        await("the sidecar reports profile " + WORKLOAD + " accepted in its status", () -> accepted(api.getClient()));

        if (prometheusInstalled()) {
            prometheus = PrometheusServer.start(Files.createDirectories(dir.resolve("prometheus")), prometheusConfig());
            await("Prometheus scrapes the sidecar", () -> !prometheus.query("picket_scans_total").at("/data/result").isEmpty());
        }
        Files.createFile(trigger);
        await("two violations counted", () -> violations() >= 2);
        if (prometheus != null) {
            await("Prometheus has scraped both violations", () -> prometheus.query(
                    "sum(picket_violations_total{workload=\"" + WORKLOAD + "\"}) >= 2").at("/data/result").size() == 1);
        }
    }

    private static boolean prometheusInstalled() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, "prometheus"))) {
                return true;
            }
        }
        return false;
    }

    @AfterAll
    void stop() throws Exception {
        if (dir == null) {
            return;
        }
        try (PicketProcess s = sidecar; PrometheusServer p = prometheus) {
            // closed in reverse order
        } finally {
            if (api != null) {
                api.after();
            }
            // The logs are in the failure messages; the rest (Prometheus' TSDB, the state dir) is not worth keeping.
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void seed(KubernetesClient client) throws IOException {
        client.resource(new PodBuilder().withNewMetadata().withName(POD).withNamespace(NAMESPACE)
                .addToLabels("app.kubernetes.io/name", WORKLOAD).endMetadata()
                .withNewSpec().withServiceAccountName("storefront").endSpec().build()).create();
        // Allowed: the neighbour's shell and its sleep; tail is not. Monitor mode: reported as would_kill.
        WorkloadProfileSpec spec = YAML.readValue("""
                mode: monitor
                selector: {matchLabels: {app.kubernetes.io/name: storefront}}
                processes:
                  allowRoot: true
                  allow:
                    - exe: /usr/bin/dash
                    - exe: /usr/bin/sleep
                actions:
                  process: kill
                """, WorkloadProfileSpec.class);
        WorkloadProfile profile = WorkloadProfile.of(WORKLOAD, spec);
        profile.getMetadata().setNamespace(NAMESPACE);
        client.resource(profile).create();
    }

    private static boolean accepted(KubernetesClient client) {
        WorkloadProfile p = client.resources(WorkloadProfile.class).inNamespace(NAMESPACE).withName(WORKLOAD).get();
        return p.getStatus() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream().anyMatch(c -> "Accepted".equals(c.getType()) && "True".equals(c.getStatus()))
                && p.getStatus().getPods() != null && p.getStatus().getPods().contains(POD);
    }

    private double violations() {
        Matcher m = Pattern.compile("(?m)^picket_violations_total\\{[^}]*kind=\"process\"[^}]*} ([0-9.eE+-]+)$")
                .matcher(sidecar.management("/q/metrics").body());
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    private void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!sidecar.process().isAlive()) {
                fail("the sidecar exited while waiting for: " + what + "\n" + Files.readString(dir.resolve("picket.log")));
            }
            if (Boolean.TRUE.equals(condition.call())) {
                return;
            }
            Thread.sleep(200);
        }
        fail("timed out after " + WAIT + " waiting for: " + what + "\n--- sidecar log ---\n"
                + Files.readString(dir.resolve("picket.log")) + (prometheus == null ? "" : "\n--- prometheus log ---\n" + prometheus.log()));
    }

    // ---- Prometheus' configuration: the PodMonitor turned into a scrape config ------------------------

    /** The labels Kubernetes service discovery gives a pod's container port. */
    private static Map<String, String> discovered(String pod, String container, String controllerKind, String controller,
            String appName) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("__meta_kubernetes_namespace", NAMESPACE);
        labels.put("__meta_kubernetes_pod_name", pod);
        labels.put("__meta_kubernetes_pod_container_name", container);
        labels.put("__meta_kubernetes_pod_container_port_name", "management");
        labels.put("__meta_kubernetes_pod_controller_kind", controllerKind);
        labels.put("__meta_kubernetes_pod_controller_name", controller);
        if (appName != null) {
            labels.put("__meta_kubernetes_pod_label_app_kubernetes_io_name", appName);
        }
        return labels;
    }

    /**
     * Three targets, all the one running sidecar: as the sidecar of a pod labelled
     * app.kubernetes.io/name=storefront; as the sidecar of a Deployment's pod without that label (workload
     * from the ReplicaSet, hash cut off: legacy); and as another container of a pod that happens to have a
     * port called management, which the PodMonitor must not scrape.
     */
    private String prometheusConfig() throws IOException {
        JsonNode podMonitor = YAML.readTree(ROOT.resolve("manifests/components/monitoring/podmonitor-sidecars.yaml").toFile());
        JsonNode endpoint = podMonitor.at("/spec/podMetricsEndpoints/0");
        List<Map<String, Object>> relabel = new ArrayList<>();
        // What prometheus-operator generates from the endpoint's port before the PodMonitor's relabelings.
        relabel.add(Map.of("action", "keep", "source_labels", List.of("__meta_kubernetes_pod_container_port_name"),
                "regex", endpoint.path("port").asText()));
        for (JsonNode r : endpoint.path("relabelings")) {
            relabel.add(prometheusRelabel(r));
        }
        String target = "127.0.0.1:" + managementPort;
        Map<String, Object> scrape = new LinkedHashMap<>();
        scrape.put("job_name", "podMonitor/picket-system/picket-sidecars/0");
        scrape.put("metrics_path", endpoint.path("path").asText());
        scrape.put("scheme", endpoint.path("scheme").asText("http"));
        scrape.put("scrape_interval", "1s");
        scrape.put("static_configs", List.of(
                Map.of("targets", List.of(target), "labels",
                        discovered(POD, "picket", "ReplicaSet", "storefront-7d4b9c8f6d", WORKLOAD)),
                Map.of("targets", List.of(target), "labels",
                        discovered("legacy-5f6b7c9d8-abcde", "picket", "ReplicaSet", "legacy-5f6b7c9d8", null)),
                Map.of("targets", List.of(target), "labels",
                        discovered("admin-6c8d9f7b5-zzzzz", "app", "ReplicaSet", "admin-6c8d9f7b5", "admin"))));
        scrape.put("relabel_configs", relabel);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("global", Map.of("scrape_interval", "1s", "evaluation_interval", "1s"));
        config.put("rule_files", List.of(ROOT.resolve(MonitoringQueries.RULES).toString()));
        config.put("scrape_configs", List.of(scrape));
        return YAML.writeValueAsString(config);
    }

    /** A prometheus-operator RelabelConfig (camelCase) as Prometheus' relabel_config (snake_case). */
    static Map<String, Object> prometheusRelabel(JsonNode r) {
        Map<String, Object> out = new LinkedHashMap<>();
        r.properties().forEach(e -> {
            String key = switch (e.getKey()) {
                case "sourceLabels" -> "source_labels";
                case "targetLabel" -> "target_label";
                case "action", "regex", "replacement", "separator", "modulus" -> e.getKey();
                default -> throw new IllegalArgumentException("a RelabelConfig field this test does not translate: " + e.getKey());
            };
            Object value = e.getValue().isArray() ? YAML.convertValue(e.getValue(), List.class)
                    : e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asText();
            out.put(key, "action".equals(key) ? value.toString().toLowerCase(java.util.Locale.ROOT) : value);
        });
        return out;
    }

    // ---- the checks -------------------------------------------------------------------------------------

    private List<MonitoringQueries.Query> dashboardQueries() {
        return MonitoringQueries.dashboardQueries(MonitoringQueries.readJson(ROOT.resolve(MonitoringQueries.DASHBOARD)));
    }

    private List<MonitoringQueries.Query> ruleQueries() {
        return MonitoringQueries.ruleQueries(MonitoringQueries.readYaml(ROOT.resolve(MonitoringQueries.RULES)));
    }

    @Test
    @Order(1)
    void everyMetricTheDashboardAndTheAlertsUseIsInTheSidecarsMetrics() {
        List<MonitoringQueries.Query> queries = new ArrayList<>(dashboardQueries());
        queries.addAll(ruleQueries());
        Map<String, String> used = MonitoringQueries.namesUsed(queries, MonitoringQueries.everything());
        MonitoringQueries.Exposition exposed = MonitoringQueries.Exposition.parse(sidecar.management("/q/metrics").body());
        List<String> missing = new ArrayList<>();
        used.forEach((name, origin) -> {
            if (name.startsWith("picket_injector_") || MonitoringQueries.SCRAPE_SERIES.contains(name)) {
                return; // the injector's own tests; made by Prometheus
            }
            String why = exposed.missing(name);
            if (why != null) {
                missing.add(why + " (used by " + origin + ")");
            }
        });
        assertThat(used.keySet()).as("the sidecar metrics the dashboard and alerts use").contains(
                "picket_violations_total", "picket_quarantined", "picket_scan_duration_seconds_bucket",
                "picket_last_scan_timestamp_seconds", "picket_kube_dropped_total", "picket_profile_valid");
        assertThat(missing).as("metric names used by manifests/dashboards/picket.json or manifests/prometheus/picket-rules.yaml "
                + "that a running sidecar (Kubernetes integration on, two violations) does not expose").isEmpty();
    }

    @Test
    @Order(2)
    void prometheusLabelsEverySeriesWithNamespacePodAndWorkloadAsThePodMonitorSays() throws Exception {
        requirePrometheus();
        JsonNode up = prometheus.query("up").at("/data/result");
        Set<String> targets = new TreeSet<>();
        for (JsonNode series : up) {
            JsonNode m = series.path("metric");
            targets.add(m.path("job").asText() + " " + m.path("namespace").asText() + "/" + m.path("pod").asText() + " "
                    + m.path("container").asText() + " workload=" + m.path("workload").asText() + " up=" + series.at("/value/1").asText());
        }
        assertThat(targets).containsExactlyInAnyOrder(
                "picket-sidecar shop/" + POD + " picket workload=" + WORKLOAD + " up=1",
                "picket-sidecar shop/legacy-5f6b7c9d8-abcde picket workload=legacy up=1");
        JsonNode violations = prometheus.query("picket_violations_total").at("/data/result");
        assertThat(violations).isNotEmpty();
        for (JsonNode series : violations) {
            assertThat(series.path("metric").path("namespace").asText()).isEqualTo(NAMESPACE);
            assertThat(series.path("metric").path("pod").asText()).isNotEmpty();
            assertThat(series.path("metric").path("workload").asText()).isIn(WORKLOAD, "legacy");
        }
    }

    @Test
    @Order(3)
    void everyDashboardQueryEvaluatesForAllAndForOneWorkload() throws Exception {
        requirePrometheus();
        Map<String, String> one = new LinkedHashMap<>(MonitoringQueries.everything());
        one.put("namespace", NAMESPACE);
        one.put("workload", WORKLOAD);
        List<String> errors = new ArrayList<>();
        for (Map<String, String> values : List.of(MonitoringQueries.everything(), one)) {
            for (MonitoringQueries.Query q : dashboardQueries()) {
                String promql = MonitoringQueries.substitute(q.expr(), values);
                JsonNode answer = prometheus.query(promql);
                if (!"success".equals(answer.path("status").asText())) {
                    errors.add(q.origin() + " with " + values + ": " + answer.path("error").asText() + "\n  " + promql);
                }
            }
        }
        assertThat(errors).isEmpty();
    }

    @Test
    @Order(4)
    void theViolationPanelsShowTheViolations() throws Exception {
        requirePrometheus();
        Map<String, String> one = new LinkedHashMap<>(MonitoringQueries.everything());
        one.put("namespace", NAMESPACE);
        one.put("workload", WORKLOAD);
        Map<String, JsonNode> byTitle = new LinkedHashMap<>();
        for (JsonNode panel : MonitoringQueries.panels(MonitoringQueries.readJson(ROOT.resolve(MonitoringQueries.DASHBOARD)))) {
            if (panel.has("targets")) {
                byTitle.put(panel.path("title").asText(), panel.path("targets").get(0));
            }
        }
        JsonNode byKind = result(byTitle.get("Violations by kind"), one);
        assertThat(byKind).as("Violations by kind").hasSize(1);
        assertThat(byKind.get(0).at("/metric/kind").asText()).isEqualTo("process");
        assertThat(byKind.get(0).at("/value/1").asDouble()).isGreaterThanOrEqualTo(2);
        JsonNode byRule = result(byTitle.get("Violations by rule"), one);
        assertThat(byRule.get(0).at("/metric/rule").asText()).isEqualTo("process-not-allowed");
        assertThat(byRule.get(0).at("/metric/action").asText()).isEqualTo("would_kill");
        JsonNode top = result(byTitle.get("Top workloads by violations"), MonitoringQueries.everything());
        assertThat(top).extracting(s -> s.at("/metric/namespace").asText() + "/" + s.at("/metric/workload").asText())
                .contains(NAMESPACE + "/" + WORKLOAD, NAMESPACE + "/legacy");
        JsonNode quarantined = result(byTitle.get("Quarantined pods"), one);
        assertThat(quarantined.get(0).at("/value/1").asText()).as("monitor mode quarantines nothing").isEqualTo("0");
    }

    private JsonNode result(JsonNode target, Map<String, String> values) throws Exception {
        JsonNode answer = prometheus.query(MonitoringQueries.substitute(target.path("expr").asText(), values));
        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("success");
        return answer.at("/data/result");
    }

    @Test
    @Order(5)
    void everyAlertExpressionEvaluatesAndEveryRuleIsHealthy() throws Exception {
        requirePrometheus();
        List<String> errors = new ArrayList<>();
        for (MonitoringQueries.Query q : ruleQueries()) {
            JsonNode answer = prometheus.query(q.expr());
            if (!"success".equals(answer.path("status").asText())) {
                errors.add(q.origin() + ": " + answer.path("error").asText());
            }
        }
        assertThat(errors).isEmpty();
        await("every rule evaluated at least once", () -> {
            for (JsonNode group : prometheus.api("/api/v1/rules").at("/data/groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.path("lastEvaluation").asText().startsWith("0001-")) {
                        return false;
                    }
                }
            }
            return true;
        });
        Map<String, String> health = new LinkedHashMap<>();
        for (JsonNode group : prometheus.api("/api/v1/rules").at("/data/groups")) {
            for (JsonNode rule : group.path("rules")) {
                health.put(rule.path("name").asText(), rule.path("health").asText() + " " + rule.path("lastError").asText(""));
            }
        }
        assertThat(health).hasSize(ruleQueries().size());
        assertThat(health).allSatisfy((name, h) -> assertThat(h).as(name).isEqualTo("ok "));
    }

    @Test
    @Order(6)
    void theViolationAlertFiresForTheWorkloadAndTheHealthAlertsDoNot() throws Exception {
        requirePrometheus();
        await("PicketViolations firing for " + NAMESPACE + "/" + WORKLOAD, () -> {
            for (JsonNode alert : prometheus.api("/api/v1/alerts").at("/data/alerts")) {
                JsonNode l = alert.path("labels");
                if ("PicketViolations".equals(l.path("alertname").asText()) && "firing".equals(alert.path("state").asText())
                        && NAMESPACE.equals(l.path("namespace").asText()) && WORKLOAD.equals(l.path("workload").asText())
                        && "process".equals(l.path("kind").asText())) {
                    return true;
                }
            }
            return false;
        });
        Set<String> active = new TreeSet<>();
        for (JsonNode alert : prometheus.api("/api/v1/alerts").at("/data/alerts")) {
            active.add(alert.at("/labels/alertname").asText());
        }
        assertThat(active).doesNotContain("PicketPodQuarantined", "PicketSidecarNotScanning", "PicketSidecarDown",
                "PicketProfileInvalid", "PicketKubeDeliveriesDropped", "PicketKubeApiUnreachable", "PicketSlowScans");
    }

    private void requirePrometheus() {
        Host.requireCommand("prometheus");
        assertThat(prometheus).as("Prometheus was not started").isNotNull();
    }
}
