package dev.picket.injector.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The alerts exist twice, as the PrometheusRule of components/monitoring and as the plain rules file
 * manifests/prometheus/picket-rules.yaml (which promtool and the sidecar's real-Prometheus test load): they
 * must be the same, field for field. And every alert carries what an on-call person needs: a severity, a
 * summary, a description with a runbook, and a section of docs/observability.md of its own name.
 */
class PrometheusRulesTest {

    private static final Path RULES_FILE = ManifestTree.ROOT.resolve("prometheus/picket-rules.yaml");
    private static final Path PROMETHEUS_RULE = ManifestTree.ROOT.resolve("components/monitoring/prometheusrule.yaml");
    private static final Path DOCS = ManifestTree.ROOT.resolveSibling("docs/observability.md");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    private static JsonNode rulesFile() {
        List<JsonNode> docs = StrictParser.documents(ManifestTree.read(RULES_FILE));
        assertEquals(1, docs.size());
        return docs.get(0);
    }

    private static String canonical(JsonNode node) throws JsonProcessingException {
        return JsonTrees.JSON.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(JsonTrees.JSON.convertValue(node, Object.class));
    }

    @Test
    void theRulesFileIsThePrometheusRulesSpecFieldForField() throws JsonProcessingException {
        JsonNode rule = StrictParser.documents(ManifestTree.read(PROMETHEUS_RULE)).get(0);
        assertEquals(List.of("groups"), List.copyOf(iterable(rule.path("spec").fieldNames())));
        assertEquals(canonical(rule.path("spec")), canonical(rulesFile()),
                "manifests/prometheus/picket-rules.yaml must equal the spec of components/monitoring/prometheusrule.yaml");
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void everyAlertHasASeverityASummaryAndARunbookDocumentedUnderItsName() {
        List<MonitoringQueries.Rule> rules = MonitoringQueries.rules(rulesFile());
        assertTrue(rules.size() >= 10, "expected the alerts, found " + rules.size());
        String docs = ManifestTree.read(DOCS);
        Set<String> names = new HashSet<>();
        Set<String> groups = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (MonitoringQueries.Rule r : rules) {
            groups.add(r.group());
            if (!r.alert()) {
                problems.add(r.name() + ": a recording rule; the dashboard and the metric checks expect alerts only");
                continue;
            }
            if (!names.add(r.name())) {
                problems.add(r.name() + ": defined twice");
            }
            JsonNode node = r.node();
            if (!SEVERITIES.contains(node.at("/labels/severity").asText())) {
                problems.add(r.name() + ": label severity must be one of " + SEVERITIES);
            }
            if (node.at("/annotations/summary").asText().isBlank()) {
                problems.add(r.name() + ": no summary annotation");
            }
            String description = node.at("/annotations/description").asText();
            String anchor = "docs/observability.md#" + r.name().toLowerCase(java.util.Locale.ROOT);
            if (!description.contains("Runbook:") || !description.contains(anchor)) {
                problems.add(r.name() + ": the description must hold 'Runbook:' and " + anchor);
            }
            if (!docs.contains("\n### " + r.name() + "\n")) {
                problems.add(r.name() + ": docs/observability.md has no section '### " + r.name() + "'");
            }
        }
        assertEquals(List.of("picket-injector", "picket-sidecar"), groups.stream().sorted().toList());
        assertEquals(List.of(), problems);
    }
}
