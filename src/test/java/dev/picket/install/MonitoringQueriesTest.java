package dev.picket.install;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PromQL reading that the metric-name checks rest on: names are found where PromQL has them and
 * nowhere else, and the injector project's copy of {@link MonitoringQueries} is this one.
 */
class MonitoringQueriesTest {

    private static final Path ROOT = MonitoringQueries.repositoryRoot();

    @Test
    void metricNamesAreTheSelectorsNotFunctionsLabelsOrKeywords() {
        assertThat(MonitoringQueries.metricNames(
                "sum by (kind) (rate(picket_violations_total{namespace=~\"a|b\", rule!=\"x\"}[5m]))"))
                .containsExactly("picket_violations_total");
        assertThat(MonitoringQueries.metricNames(
                "histogram_quantile(0.99, sum by (le) (rate(picket_scan_duration_seconds_bucket[5m])))"))
                .containsExactly("picket_scan_duration_seconds_bucket");
        assertThat(MonitoringQueries.metricNames("(a unless a offset 5m) or increase(a[1h30m])")).containsExactly("a");
        assertThat(MonitoringQueries.metricNames("x and on (namespace, pod) group_left (workload) y"))
                .containsExactly("x", "y");
        assertThat(MonitoringQueries.metricNames("max by(namespace)(m) > bool 1e-3")).containsExactly("m");
        assertThat(MonitoringQueries.metricNames("sum without (instance) (m) / ignoring(le) n"))
                .containsExactly("m", "n");
        assertThat(MonitoringQueries.metricNames("count_values(\"version\", build_info) + topk(10, foo) + 0x1f"))
                .containsExactly("build_info", "foo");
        assertThat(MonitoringQueries.metricNames("absent(up{job=\"picket-injector\"} == 1)")).containsExactly("up");
        assertThat(MonitoringQueries.metricNames("timestamp(m) - m > 30 or vector(0)")).containsExactly("m");
        assertThat(MonitoringQueries.metricNames("m @ start() + m2 @ 1609746000")).containsExactly("m", "m2");
        assertThat(MonitoringQueries.metricNames("Inf > m and NaN != n")).containsExactly("m", "n");
    }

    @Test
    void stringsCommentsAndNameMatchersAreReadAsPromqlReadsThem() {
        assertThat(MonitoringQueries.metricNames("foo{rule=\"sum(bar)\", note='x{y}', raw=`a\"b`}")).containsExactly("foo");
        assertThat(MonitoringQueries.metricNames("# rate(not_this)\nbaz")).containsExactly("baz");
        assertThat(MonitoringQueries.metricNames("{__name__=\"picket_scans_total\", job=\"j\"}"))
                .containsExactly("picket_scans_total");
        assertThat(MonitoringQueries.metricNames("foo{msg=\"a \\\" quote\"}")).containsExactly("foo");
        assertThatThrownBy(() -> MonitoringQueries.metricNames("{__name__=~\"picket_.*\"}"))
                .hasMessageContaining("names no metric");
        assertThatThrownBy(() -> MonitoringQueries.metricNames("foo{bar=\"x\"")).hasMessageContaining("unclosed");
    }

    @Test
    void templateVariablesAreSubstitutedLongestNameFirstAndNoneIsLeft() {
        Map<String, String> values = MonitoringQueries.everything();
        assertThat(MonitoringQueries.substitute("rate(m{ns=~\"$namespace\", w=~\"${workload}\"}[$__rate_interval]) offset $__range",
                values)).isEqualTo("rate(m{ns=~\".*\", w=~\".*\"}[1m]) offset 5m");
        assertThat(MonitoringQueries.substitute("m{ns=~\"${namespace:regex}\"}", values)).isEqualTo("m{ns=~\".*\"}");
        assertThatThrownBy(() -> MonitoringQueries.substitute("m{x=\"$cluster\"}", values)).hasMessageContaining("$cluster");
    }

    @Test
    void anExpositionTellsAHistogramFamilyFromItsSeries() {
        MonitoringQueries.Exposition e = MonitoringQueries.Exposition.parse("""
                # HELP h Time
                # TYPE h histogram
                h_bucket{le="0.1"} 1.0
                h_bucket{le="+Inf"} 1.0
                h_count 1.0
                h_sum 0.01
                # TYPE c counter
                c_total{kind="process"} 2.0
                """);
        assertThat(e.missing("h_bucket")).isNull();
        assertThat(e.missing("c_total")).isNull();
        assertThat(e.missing("h")).contains("is a histogram: select h_bucket");
        assertThat(e.missing("c_bucket")).contains("c is a counter, which has no buckets");
        assertThat(e.missing("gone")).isEqualTo("gone is not exposed");
    }

    @Test
    void everyQueryOfTheDashboardAndTheRulesSelectsSomething() {
        List<MonitoringQueries.Query> queries = new java.util.ArrayList<>(
                MonitoringQueries.dashboardQueries(MonitoringQueries.readJson(ROOT.resolve(MonitoringQueries.DASHBOARD))));
        queries.addAll(MonitoringQueries.ruleQueries(MonitoringQueries.readYaml(ROOT.resolve(MonitoringQueries.RULES))));
        assertThat(queries).hasSizeGreaterThan(30);
        for (MonitoringQueries.Query q : queries) {
            Set<String> names = MonitoringQueries.metricNames(MonitoringQueries.substitute(q.expr(), MonitoringQueries.everything()));
            assertThat(names).as(q.origin() + ": " + q.expr()).isNotEmpty().allMatch(n -> n.startsWith("picket_")
                    || MonitoringQueries.SCRAPE_SERIES.contains(n) || n.equals("process_start_time_seconds"));
        }
    }

    @Test
    void theInjectorProjectsCopyIsThisClass() throws IOException {
        String sidecar = Files.readString(ROOT.resolve("src/test/java/dev/picket/install/MonitoringQueries.java"));
        String injector = Files.readString(ROOT.resolve("injector/src/test/java/dev/picket/injector/install/MonitoringQueries.java"));
        assertThat(injector.replaceFirst("package dev\\.picket\\.injector\\.install;", "package dev.picket.install;"))
                .as("injector/src/test/java/dev/picket/injector/install/MonitoringQueries.java must equal this project's "
                        + "copy but for its package line")
                .isEqualTo(sidecar);
    }
}
