package dev.picket.injector.install;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The injector's metric names that the dashboard and the alerts use, against the /q/metrics of a running
 * injector (this project's Quarkus test application, on its management port); and every injector metric
 * is on the dashboard. The sidecar's names are checked against a running sidecar by the sidecar's
 * PrometheusScrapeIT.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class InjectorMetricsQuarkusTest {

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    private static Map<String, String> namesUsed(boolean dashboardOnly) {
        List<MonitoringQueries.Query> queries = new ArrayList<>(MonitoringQueries.dashboardQueries(
                MonitoringQueries.readJson(ManifestTree.ROOT.resolve("dashboards/picket.json"))));
        if (!dashboardOnly) {
            queries.addAll(MonitoringQueries.ruleQueries(MonitoringQueries.readYaml(ManifestTree.ROOT.resolve("prometheus/picket-rules.yaml"))));
        }
        return MonitoringQueries.namesUsed(queries, MonitoringQueries.everything());
    }

    private MonitoringQueries.Exposition exposition() {
        return MonitoringQueries.Exposition.parse(given().when().get(metrics).then().statusCode(200).extract().asString());
    }

    @Test
    void everyInjectorMetricTheDashboardAndTheAlertsUseIsExposed() {
        MonitoringQueries.Exposition exposed = exposition();
        List<String> used = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        namesUsed(false).forEach((name, origin) -> {
            if (name.startsWith("picket_injector_")) {
                used.add(name);
                String why = exposed.missing(name);
                if (why != null) {
                    missing.add(why + " (used by " + origin + ")");
                }
            }
        });
        assertTrue(used.size() >= 3, "expected the injector's metrics among the queries, found " + used);
        assertEquals(List.of(), missing, "injector metric names the dashboard or the alerts use that a running injector does not expose");
    }

    @Test
    void everyInjectorMetricIsOnTheDashboard() {
        Map<String, String> used = namesUsed(true);
        List<String> unused = new ArrayList<>();
        exposition().types().forEach((family, type) -> {
            if (family.startsWith("picket_injector_") && !family.endsWith("_max")
                    && used.keySet().stream().noneMatch(n -> n.startsWith(family))) {
                unused.add(family + " (" + type + ")");
            }
        });
        assertEquals(List.of(), unused, "injector metrics no dashboard panel shows");
    }
}
