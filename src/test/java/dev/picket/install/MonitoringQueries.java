package dev.picket.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The PromQL of Picket's Grafana dashboard and alert rules, and the metric names it uses.
 *
 * <p>Two copies of this class exist, one per Maven project (the sidecar's {@code dev.picket.install}
 * and the injector's {@code dev.picket.injector.install}), because the two projects share no test
 * code; they differ only in the package line, which the sidecar's MonitoringQueriesTest checks.
 *
 * <p>Metric names are found with a PromQL lexer, not a regular expression over the text: strings,
 * label matchers, the label lists of {@code by}/{@code without}/{@code on}/{@code ignoring}/
 * {@code group_left}/{@code group_right}, durations, numbers, keywords, aggregation operators and
 * function calls are told apart, and {@code {__name__="x"}} counts as the name x.
 */
final class MonitoringQueries {

    /** Repository paths, relative to the repository root. */
    static final String DASHBOARD = "manifests/dashboards/picket.json";
    static final String RULES = "manifests/prometheus/picket-rules.yaml";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private MonitoringQueries() {
    }

    /** One PromQL expression and where it comes from (for messages). */
    record Query(String origin, String expr) {
    }

    /** One alert or recording rule of the rules file. */
    record Rule(String group, String name, boolean alert, String expr, JsonNode node) {
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel of the dashboard, those inside rows included, in order. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /**
     * Every query of the dashboard: the panels' targets and the template variables' queries (Grafana's
     * {@code label_values(<selector>, <label>)} gives its selector). Template variables are left as
     * written; see {@link #substitute}.
     */
    static List<Query> dashboardQueries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query("panel '" + panel.path("title").asText() + "' query " + target.path("refId").asText(),
                        target.path("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                String definition = variable.path("query").isObject() ? variable.path("query").path("query").asText()
                        : variable.path("query").asText();
                Matcher m = LABEL_VALUES.matcher(definition.trim());
                if (!m.matches()) {
                    throw new IllegalArgumentException("template variable " + variable.path("name").asText()
                            + ": expected label_values(<selector>, <label>), got " + definition);
                }
                queries.add(new Query("template variable " + variable.path("name").asText(), m.group(1)));
            }
        }
        return queries;
    }

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\)",
            Pattern.DOTALL);

    /** Every rule of a Prometheus rules file (or of a PrometheusRule's spec: the same shape). */
    static List<Rule> rules(JsonNode rulesFile) {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode group : rulesFile.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                boolean alert = rule.has("alert");
                rules.add(new Rule(group.path("name").asText(), rule.path(alert ? "alert" : "record").asText(), alert,
                        rule.path("expr").asText(), rule));
            }
        }
        return rules;
    }

    static List<Query> ruleQueries(JsonNode rulesFile) {
        return rules(rulesFile).stream()
                .map(r -> new Query((r.alert() ? "alert " : "recording rule ") + r.name(), r.expr())).toList();
    }

    /**
     * Grafana's template variables replaced by values: {@code ${name}}, {@code ${name:format}} and
     * {@code $name}, longest name first (so {@code $__rate_interval} is not read as {@code $__rate}).
     */
    static String substitute(String expr, Map<String, String> values) {
        String out = expr;
        List<String> names = new ArrayList<>(values.keySet());
        names.sort(Comparator.comparingInt(String::length).reversed());
        for (String name : names) {
            String value = Matcher.quoteReplacement(values.get(name));
            out = out.replaceAll("\\$\\{" + Pattern.quote(name) + "(:[a-z]+)?\\}", value);
            out = out.replaceAll("\\$" + Pattern.quote(name) + "(?![a-zA-Z0-9_])", value);
        }
        Matcher left = Pattern.compile("\\$\\{?[a-zA-Z_][a-zA-Z0-9_]*").matcher(out);
        if (left.find()) {
            throw new IllegalArgumentException("template variable " + left.group() + " has no value in " + expr);
        }
        return out;
    }

    // ---- PromQL ------------------------------------------------------------------------------------

    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "atan2", "inf", "nan");
    private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");

    /**
     * The metric names an expression selects. Functions and aggregation operators (an identifier before
     * "(", or an aggregation name before by/without), keywords, label names and values, durations and
     * numbers are not names. Throws for what it cannot read, rather than guessing.
     */
    static Set<String> metricNames(String expr) {
        Set<String> names = new LinkedHashSet<>();
        int i = 0;
        int n = expr.length();
        boolean labelList = false; // inside the ( ) after by, without, on, ...
        String previousWord = "";
        while (i < n) {
            char c = expr.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < n && expr.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
                previousWord = "";
            } else if (c == '{') {
                int end = matchers(expr, i, names);
                i = end;
                previousWord = "";
            } else if (c == '[') {
                int end = expr.indexOf(']', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed [ in " + expr);
                }
                i = end + 1;
                previousWord = "";
            } else if (c == '(') {
                if (LABEL_LIST_KEYWORDS.contains(previousWord)) {
                    labelList = true;
                }
                i++;
                previousWord = "";
            } else if (c == ')') {
                labelList = false;
                i++;
                previousWord = "";
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
                i++;
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.' || expr.charAt(i) == '_'
                        || ((expr.charAt(i) == '+' || expr.charAt(i) == '-') && (expr.charAt(i - 1) == 'e' || expr.charAt(i - 1) == 'E')
                                && !expr.startsWith("0x", i - 2)))) {
                    i++; // 1, 0.5, 1e-3, 0x1f, and durations such as 5m or 1h30m
                }
                previousWord = "";
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_' || expr.charAt(i) == ':')) {
                    i++;
                }
                String word = expr.substring(start, i);
                int next = i;
                while (next < n && Character.isWhitespace(expr.charAt(next))) {
                    next++;
                }
                boolean call = next < n && expr.charAt(next) == '(';
                String lower = word.toLowerCase(java.util.Locale.ROOT);
                if (labelList) {
                    // a label name of by (...), on (...)
                } else if (KEYWORDS.contains(lower) || AGGREGATIONS.contains(word) || call) {
                    // keyword, aggregation (its by/without may come first) or function (also @ start())
                } else {
                    names.add(word);
                }
                previousWord = lower;
            } else {
                i++; // operators, commas, @
                previousWord = "";
            }
        }
        return names;
    }

    private static int skipString(String expr, int start) {
        char quote = expr.charAt(start);
        int i = start + 1;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
                continue;
            }
            if (c == quote) {
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("unclosed string in " + expr);
    }

    /** Skips a {...} of label matchers; a {@code __name__="x"} matcher adds x. */
    private static int matchers(String expr, int open, Set<String> names) {
        Matcher m = MATCHER.matcher(expr);
        int i = open + 1;
        while (true) {
            while (i < expr.length() && (Character.isWhitespace(expr.charAt(i)) || expr.charAt(i) == ',')) {
                i++;
            }
            if (i >= expr.length()) {
                throw new IllegalArgumentException("unclosed { in " + expr);
            }
            if (expr.charAt(i) == '}') {
                return i + 1;
            }
            m.region(i, expr.length());
            if (!m.lookingAt()) {
                throw new IllegalArgumentException("cannot read the label matcher at '" + expr.substring(i) + "'");
            }
            String label = m.group(1) != null ? m.group(1) : unquote(m.group(2));
            String op = m.group(3);
            int valueEnd = skipString(expr, m.end());
            if ("__name__".equals(label)) {
                if (!"=".equals(op)) {
                    throw new IllegalArgumentException("a regular expression on __name__ names no metric: " + expr);
                }
                names.add(unquote(expr.substring(m.end(), valueEnd)));
            }
            i = valueEnd;
        }
    }

    private static final Pattern MATCHER = Pattern.compile(
            "(?:([a-zA-Z_][a-zA-Z0-9_]*)|(\"(?:[^\"\\\\]|\\\\.)*\"))\\s*(=~|!~|!=|=)\\s*(?=[\"'`])");

    private static String unquote(String quoted) {
        return quoted.substring(1, quoted.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    // ---- exposition --------------------------------------------------------------------------------

    /** What one /q/metrics text exposes: the names of its samples, and each family's TYPE. */
    record Exposition(Set<String> samples, Map<String, String> types) {

        static Exposition parse(String text) {
            Set<String> samples = new TreeSet<>();
            Map<String, String> types = new TreeMap<>();
            for (String line : text.split("\n")) {
                String l = line.strip();
                if (l.startsWith("# TYPE ")) {
                    String[] parts = l.split("\\s+");
                    if (parts.length >= 4) {
                        types.put(parts[2], parts[3]);
                    }
                } else if (!l.isEmpty() && !l.startsWith("#")) {
                    int end = 0;
                    while (end < l.length() && l.charAt(end) != '{' && !Character.isWhitespace(l.charAt(end))) {
                        end++;
                    }
                    samples.add(l.substring(0, end));
                }
            }
            return new Exposition(samples, types);
        }

        /**
         * Why {@code name} selects nothing in this exposition, or null when it selects samples. A histogram
         * or summary is exposed only as {@code _bucket}, {@code _sum} and {@code _count} series (and a
         * Micrometer timer's {@code _max} gauge): its family name alone selects nothing.
         */
        String missing(String name) {
            if (samples.contains(name)) {
                return null;
            }
            String type = types.get(name);
            if ("histogram".equals(type) || "summary".equals(type)) {
                return name + " is a " + type + ": select " + name + "_bucket, " + name + "_sum or " + name + "_count";
            }
            for (String suffix : List.of("_bucket", "_sum", "_count")) {
                if (name.endsWith(suffix)) {
                    String family = name.substring(0, name.length() - suffix.length());
                    if (types.containsKey(family) && !"histogram".equals(types.get(family)) && "_bucket".equals(suffix)) {
                        return name + ": " + family + " is a " + types.get(family) + ", which has no buckets";
                    }
                }
            }
            return name + " is not exposed";
        }
    }

    /** Metric names used by the queries, each with the first query that uses it. */
    static Map<String, String> namesUsed(List<Query> queries, Map<String, String> variables) {
        Map<String, String> used = new LinkedHashMap<>();
        for (Query q : queries) {
            for (String name : metricNames(substitute(q.expr(), variables))) {
                used.putIfAbsent(name, q.origin());
            }
        }
        return used;
    }

    /** Values for the dashboard's template variables that select everything. */
    static Map<String, String> everything() {
        return Map.of("namespace", ".*", "workload", ".*", "datasource", "prometheus",
                "__rate_interval", "1m", "__interval", "15s", "__range", "5m");
    }

    /** Metric names Prometheus makes itself, per target; never in an exposition. */
    static final Set<String> SCRAPE_SERIES = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling", "scrape_series_added");

    /** The repository root, found from the working directory (the sidecar's or the injector's). */
    static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve(DASHBOARD))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no " + DASHBOARD + " above " + System.getProperty("user.dir"));
    }
}
