package dev.picket.injector.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * manifests/dashboards/picket.json as Grafana imports it: the current schema, the data source as a variable
 * used by every panel and query, namespace and workload variables that every sidecar query honours, the
 * panels the issue asks for, and a layout without overlaps. Whether its queries run is the sidecar's
 * PrometheusScrapeIT (a real Prometheus); whether its metric names exist, that test and
 * InjectorMetricsQuarkusTest.
 */
class DashboardTest {

    private static final Path FILE = ManifestTree.ROOT.resolve("dashboards/picket.json");
    private static final JsonNode DASHBOARD = MonitoringQueries.readJson(FILE);
    private static final String DATASOURCE = "${datasource}";

    /** Grafana 11 and 12 write schemaVersion 39 to 41; older Grafanas migrate nothing newer. */
    @Test
    void aCurrentSchemaWithAStableUidAndTheDataSourceAsAVariable() {
        assertTrue(DASHBOARD.path("schemaVersion").asInt() >= 39, "schemaVersion " + DASHBOARD.path("schemaVersion"));
        assertEquals("picket-overview", DASHBOARD.path("uid").asText());
        assertTrue(DASHBOARD.path("id").isNull(), "id must be null so an import creates a new dashboard");
        JsonNode variables = DASHBOARD.path("templating").path("list");
        JsonNode datasource = variables.get(0);
        assertEquals("datasource", datasource.path("type").asText());
        assertEquals("datasource", datasource.path("name").asText());
        assertEquals("prometheus", datasource.path("query").asText());
        for (String name : List.of("namespace", "workload")) {
            JsonNode v = find(variables, name);
            assertEquals("query", v.path("type").asText(), name);
            assertEquals(DATASOURCE, v.at("/datasource/uid").asText(), name);
            assertTrue(v.path("multi").asBoolean() && v.path("includeAll").asBoolean(), name + ": multi-value with All");
            assertEquals(".*", v.path("allValue").asText(), name + ": All must be .* (every value, also ones not listed yet)");
        }
        assertTrue(find(variables, "workload").at("/query/query").asText().contains("namespace=~\"$namespace\""),
                "the workload list follows the namespace choice");
    }

    private static JsonNode find(JsonNode variables, String name) {
        for (JsonNode v : variables) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        throw new AssertionError("no template variable " + name);
    }

    @Test
    void everyPanelAndQueryUsesTheDataSourceVariable() {
        List<String> problems = new ArrayList<>();
        for (JsonNode panel : MonitoringQueries.panels(DASHBOARD)) {
            String title = panel.path("title").asText();
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            if (!DATASOURCE.equals(panel.at("/datasource/uid").asText()) || !"prometheus".equals(panel.at("/datasource/type").asText())) {
                problems.add(title + ": panel data source must be prometheus " + DATASOURCE);
            }
            Set<String> refIds = new HashSet<>();
            if (panel.path("targets").isEmpty()) {
                problems.add(title + ": no query");
            }
            for (JsonNode target : panel.path("targets")) {
                if (!refIds.add(target.path("refId").asText())) {
                    problems.add(title + ": refId " + target.path("refId").asText() + " twice");
                }
                if (!DATASOURCE.equals(target.at("/datasource/uid").asText())) {
                    problems.add(title + " " + target.path("refId").asText() + ": query data source must be " + DATASOURCE);
                }
                if (target.path("expr").asText().isBlank()) {
                    problems.add(title + " " + target.path("refId").asText() + ": empty expr");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    private static final Pattern SIDECAR_SELECTOR = Pattern.compile("\\b(picket_(?!injector_)[a-z0-9_]+)(\\{[^}]*})?");

    /** Every selector of a sidecar metric filters by both variables, so the dashboard shows what is chosen. */
    @Test
    void everySidecarQueryHonoursTheNamespaceAndWorkloadVariables() {
        List<String> problems = new ArrayList<>();
        for (MonitoringQueries.Query q : MonitoringQueries.dashboardQueries(DASHBOARD)) {
            if (q.origin().startsWith("template variable")) {
                continue;
            }
            Matcher m = SIDECAR_SELECTOR.matcher(q.expr());
            while (m.find()) {
                String matchers = m.group(2) == null ? "" : m.group(2);
                if (!matchers.contains("namespace=~\"$namespace\"") || !matchers.contains("workload=~\"$workload\"")) {
                    problems.add(q.origin() + ": " + m.group() + " does not filter by $namespace and $workload");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void thePanelsTheIssueAsksFor() {
        Set<String> titles = new HashSet<>();
        MonitoringQueries.panels(DASHBOARD).forEach(p -> titles.add(p.path("title").asText()));
        for (String expected : List.of("Violations by kind", "Violations by rule", "Violations by namespace and workload",
                "Top workloads by violations", "Quarantined pods", "Neighbour CPU", "Neighbour memory", "Scan duration",
                "Forks per minute", "Admission requests by result", "Skips by reason", "Admission latency")) {
            assertTrue(titles.contains(expected), "no panel '" + expected + "' in " + titles);
        }
    }

    @Test
    void panelIdsAreUniqueAndNoTwoPanelsOverlap() {
        List<JsonNode> panels = MonitoringQueries.panels(DASHBOARD);
        Set<Integer> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode p : panels) {
            if (!ids.add(p.path("id").asInt())) {
                problems.add("id " + p.path("id").asInt() + " twice");
            }
            JsonNode g = p.path("gridPos");
            if (g.path("x").asInt() < 0 || g.path("x").asInt() + g.path("w").asInt() > 24 || g.path("w").asInt() < 1 || g.path("h").asInt() < 1) {
                problems.add(p.path("title").asText() + ": gridPos outside the 24 columns: " + g);
            }
        }
        for (int i = 0; i < panels.size(); i++) {
            for (int j = i + 1; j < panels.size(); j++) {
                if (overlap(panels.get(i).path("gridPos"), panels.get(j).path("gridPos"))) {
                    problems.add(panels.get(i).path("title").asText() + " overlaps " + panels.get(j).path("title").asText());
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    private static boolean overlap(JsonNode a, JsonNode b) {
        Map<String, Integer> r1 = Map.of("x", a.path("x").asInt(), "y", a.path("y").asInt(), "w", a.path("w").asInt(), "h", a.path("h").asInt());
        Map<String, Integer> r2 = Map.of("x", b.path("x").asInt(), "y", b.path("y").asInt(), "w", b.path("w").asInt(), "h", b.path("h").asInt());
        return r1.get("x") < r2.get("x") + r2.get("w") && r2.get("x") < r1.get("x") + r1.get("w")
                && r1.get("y") < r2.get("y") + r2.get("h") && r2.get("y") < r1.get("y") + r1.get("h");
    }
}
