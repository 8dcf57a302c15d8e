package dev.picket.injector.install;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Prometheus' target relabeling for the actions Picket's PodMonitors use (replace, keep, drop), on a
 * prometheus-operator RelabelConfig: source labels joined with the separator (default ";"), the regex
 * anchored at both ends (default "(.*)"), {@code $1}-style references in the replacement (default "$1"), an
 * empty result removing the target label. Labels starting with "__" are dropped at the end, as after
 * Prometheus' relabeling. The sidecar's PrometheusScrapeIT runs the same rules in a real Prometheus.
 */
final class Relabeling {

    private static final Pattern REFERENCE = Pattern.compile("\\$(?:\\{([0-9]+)}|([0-9]+))");

    private Relabeling() {
    }

    /** The target's labels after the relabelings, or empty when a keep or drop removed the target. */
    static Optional<Map<String, String>> apply(JsonNode relabelings, Map<String, String> discovered) {
        Map<String, String> labels = new TreeMap<>(discovered);
        for (JsonNode r : relabelings) {
            String action = r.path("action").asText("replace").toLowerCase(java.util.Locale.ROOT);
            List<String> values = new ArrayList<>();
            r.path("sourceLabels").forEach(l -> values.add(labels.getOrDefault(l.asText(), "")));
            String value = String.join(r.path("separator").asText(";"), values);
            Matcher m = Pattern.compile("^(?:" + r.path("regex").asText("(.*)") + ")$").matcher(value);
            switch (action) {
                case "keep" -> {
                    if (!m.matches()) {
                        return Optional.empty();
                    }
                }
                case "drop" -> {
                    if (m.matches()) {
                        return Optional.empty();
                    }
                }
                case "replace" -> {
                    if (m.matches()) {
                        String result = expand(r.path("replacement").asText("$1"), m);
                        String target = r.path("targetLabel").asText();
                        if (result.isEmpty()) {
                            labels.remove(target);
                        } else {
                            labels.put(target, result);
                        }
                    }
                }
                default -> throw new IllegalArgumentException("relabel action " + action + " is not modelled here");
            }
        }
        labels.keySet().removeIf(k -> k.startsWith("__"));
        return Optional.of(labels);
    }

    private static String expand(String replacement, Matcher m) {
        Matcher ref = REFERENCE.matcher(replacement);
        StringBuilder out = new StringBuilder();
        while (ref.find()) {
            int group = Integer.parseInt(ref.group(1) != null ? ref.group(1) : ref.group(2));
            String value = group <= m.groupCount() && m.group(group) != null ? m.group(group) : "";
            ref.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        ref.appendTail(out);
        return out.toString();
    }
}
