package dev.picket.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/** The targets against the latest figures: met or not, with the figure. */
final class Targets {

    private Targets() {
    }

    static void table(StringBuilder md, JsonNode all) {
        md.append("### Targets\n\n");
        md.append("Goals from the issue, checked against the figures above (medians unless stated). Why a target ")
                .append("is missed, and what limits it, is written below the generated part.\n\n");
        md.append("| target | measured | |\n| --- | --- | --- |\n");
        JsonNode scan = find(all, "scan", "1000x10000", "steady");
        if (scan != null) {
            double steady = scan.get("steadyScanMs").get("median").asDouble();
            row(md, "steady scan of 1 000 processes + 10 000 connections ≤ 5 ms", f("%.1f ms wall (%.1f ms CPU)", steady,
                    scan.get("steadyScanCpuMs").get("median").asDouble()), steady <= 5);
            double ratio = scan.get("psSsRatio").asDouble();
            row(md, "… at least 2× faster than `ps`+`ss`", f("%.1f× (ps+ss %.0f ms)", ratio,
                    scan.get("psSsMs").get("median").asDouble()), ratio >= 2);
            double floor = scan.get("floorRatio").asDouble();
            row(md, "… within 3× of the raw /proc read floor", f("%.2f× (floor %.1f ms)", floor,
                    scan.get("floorMs").get("median").asDouble()), floor <= 3);
        }
        JsonNode idle = all.path("idle").path("result");
        if (!idle.isMissingNode()) {
            double cpu = idle.get("cpuShare").get("median").asDouble() * 100;
            row(md, "idle overhead ≤ 0.5 % of a core (100 processes, 1 s)", f("%.2f %%", cpu), cpu <= 0.5);
            double rss = idle.get("rssMiB").get("median").asDouble();
            row(md, "RSS ≤ 64 MB in JVM mode", f("%.1f MiB = %.1f MB", rss, rss * 1.048576), rss * 1.048576 <= 64);
        }
        JsonNode latency = all.path("latency").path("result");
        if (!latency.isMissingNode()) {
            for (JsonNode r : latency) {
                double interval = r.get("intervalMs").asDouble();
                for (String kind : new String[] {"processMs", "connectionMs"}) {
                    double p95 = r.get(kind).get("p95").asDouble();
                    row(md, f("detection p95 ≤ 1.2 × interval: %s, %.0f ms", kind.startsWith("process") ? "process"
                            : "connection", interval), f("%.0f ms = %.2f × interval", p95, p95 / interval),
                            p95 <= 1.2 * interval);
                }
            }
        }
        JsonNode injector = all.path("injector").path("result");
        if (!injector.isMissingNode()) {
            for (JsonNode p : injector.get("phases")) {
                if (p.get("rate").asInt() == 1000) {
                    double p99 = p.get("latencyMs").get("p99").asDouble();
                    row(md, "injector p99 ≤ 10 ms at 1 000 req/s", f("%.2f ms, %d errors", p99, p.get("errors").asInt()),
                            p99 <= 10 && p.get("errors").asInt() == 0);
                }
            }
        }
        md.append('\n');
    }

    static JsonNode find(JsonNode all, String section, String config, String phase) {
        JsonNode s = all.path(section).path("result");
        for (JsonNode r : s) {
            if (r.get("config").asText().equals(config) && r.get("phase").asText().equals(phase)
                    && r.path("variant").asText("current").equals("current")) {
                return r;
            }
        }
        return null;
    }

    private static void row(StringBuilder md, String target, String measured, boolean holds) {
        md.append("| ").append(target).append(" | ").append(measured).append(" | ").append(holds ? "holds" : "**missed**")
                .append(" |\n");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
