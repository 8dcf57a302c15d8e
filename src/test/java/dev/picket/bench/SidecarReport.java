package dev.picket.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/** The generated tables of the sidecar and injector sections. */
final class SidecarReport {

    private SidecarReport() {
    }

    static void idle(StringBuilder md, JsonNode section) {
        JsonNode r = section.get("result");
        md.append("### Idle overhead\n\n").append(Report.load(section)).append("\n\n");
        md.append("The packaged sidecar (`java -jar quarkus-app/quarkus-run.jar`) with the image's JVM flags and the pod ")
                .append("emulation, in pod mode in a sandbox of 100 processes, 1 s interval, no profile (learn mode, the ")
                .append("default). After ").append(r.get("warmupSeconds").asInt()).append(" s of warm-up, ")
                .append(r.get("measureSeconds").asInt()).append(" s measured: CPU per 10 s window from the schedstat run time ")
                .append("of every thread; memory once a second. Start-up: process start to `/q/health/started` = 200 ")
                .append("(profile loaded, first scan done), over ").append(r.get("startupMs").get("n").asInt())
                .append(" starts.\n\n");
        md.append("| CPU, % of one core | RSS, MiB | PSS, MiB (anon + file) | start-up, ms | threads |\n");
        md.append("| --- | --- | --- | --- | --- |\n");
        md.append("| ").append(pct(r.get("cpuShare"))).append(" | ").append(Report.cell(r.get("rssMiB"), 1)).append(" | ")
                .append(Report.fmt(r.get("pssMiB").get("median"), 1)).append(" (")
                .append(Report.fmt(r.get("pssAnonMiB").get("median"), 1)).append(" + ")
                .append(Report.fmt(r.get("pssFileMiB").get("median"), 1)).append(") | ")
                .append(Report.cell(r.get("startupMs"), 0)).append(" | ").append(r.get("threads").asInt()).append(" |\n");
        JsonNode n = r.get("native");
        if (n != null) {
            md.append("| native (`").append(n.get("executable").asText()).append("`): ").append(pct(n.get("cpuShare")))
                    .append(" | ").append(Report.cell(n.get("rssMiB"), 1)).append(" | ")
                    .append(Report.fmt(n.get("pssMiB").get("median"), 1)).append(" | ")
                    .append(Report.cell(n.get("startupMs"), 0)).append(" | ").append(n.get("threads").asInt()).append(" |\n");
        }
        md.append('\n');
    }

    static void flags(StringBuilder md, JsonNode section) {
        md.append("### JVM flags compared\n\n").append(Report.load(section)).append("\n\n");
        md.append("The same sidecar and sandbox as above, each flag set with the pod emulation. Archives (CDS, AOT) are ")
                .append("made by a 20 s training run of the sidecar, as the image build does. Medians with [IQR].\n\n");
        md.append("| flags | program | what | start-up, ms | RSS, MiB | PSS anon / file, MiB | CPU, % of a core | threads |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (JsonNode r : section.get("result")) {
            md.append("| `").append(r.get("name").asText()).append("` | ").append(r.path("program").asText("sidecar"))
                    .append(" | ").append(r.get("why").asText()).append(" | ")
                    .append(Report.cell(r.get("startupMs"), 0)).append(" | ")
                    .append(Report.fmt(r.get("rssMiB").get("median"), 1)).append(" [")
                    .append(Report.fmt(r.get("rssMiB").get("p25"), 1)).append("–")
                    .append(Report.fmt(r.get("rssMiB").get("p75"), 1)).append("] | ")
                    .append(Report.fmt(r.get("pssAnonMiB").get("median"), 1)).append(" / ")
                    .append(Report.fmt(r.get("pssFileMiB").get("median"), 1)).append(" | ")
                    .append(pct(r.get("cpuShare"))).append(" | ").append(r.get("threads").asInt()).append(" |\n");
        }
        md.append("\nFlags of each set (plus `").append(String.join(" ", JvmFlags.POD_EMULATION)).append("`):\n\n");
        for (JsonNode r : section.get("result")) {
            StringBuilder f = new StringBuilder();
            for (JsonNode x : r.get("flags")) {
                if (!JvmFlags.POD_EMULATION.contains(x.asText())) {
                    f.append(f.isEmpty() ? "" : " ").append(x.asText().replaceAll("=/\\S*/", "=…/"));
                }
            }
            md.append("- `").append(r.get("name").asText()).append("`: `").append(f.isEmpty() ? "(none)" : f).append("`\n");
        }
        md.append('\n');
    }

    static void latency(StringBuilder md, JsonNode section) {
        md.append("### Detection latency\n\n").append(Report.load(section)).append("\n\n");
        md.append("The packaged sidecar with the image's flags in pod mode, monitor mode, in a sandbox of 100 processes. ")
                .append("A trial waits a random part of the interval, then spawns `tail` (not in the profile) or has an ")
                .append("allowed helper connect to 10.1.2.3 (on the sandbox's loopback device, not a loopback address, ")
                .append("so it is egress), and polls `GET /v1/violations` every 5 ms until the violation is listed. ")
                .append("Milliseconds from the exec (or the connect request) to the violation being visible.\n\n");
        md.append("| interval | kind | trials | p50 | p95 | p99 | max | p95 ÷ interval | missed |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (JsonNode r : section.get("result")) {
            double interval = r.get("intervalMs").asDouble();
            for (String kind : new String[] {"processMs", "connectionMs"}) {
                JsonNode s = r.get(kind);
                md.append("| ").append((int) interval).append(" ms | ").append(kind.startsWith("process") ? "process" : "connection")
                        .append(" | ").append(s.get("n").asInt()).append(" | ").append(Report.fmt(s.get("median"), 0))
                        .append(" | ").append(Report.fmt(s.get("p95"), 0)).append(" | ").append(Report.fmt(s.get("p99"), 0))
                        .append(" | ").append(Report.fmt(s.get("max"), 0)).append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", s.get("p95").asDouble() / interval)).append(" | ")
                        .append(r.get("missed").asInt()).append(" |\n");
            }
        }
        md.append('\n');
    }

    static void injector(StringBuilder md, JsonNode section) {
        JsonNode r = section.get("result");
        md.append("### Injector webhook\n\n").append(Report.load(section)).append("\n\n");
        md.append("`POST /mutate` with the ReplicaSet fixture (").append(r.get("fixture").asText()).append("), over HTTPS ")
                .append("(HTTP/1.1, at most ").append(r.path("phases").path(0).path("connections").asInt())
                .append(" connections and requests in flight, self-signed P-256 certificate, `mounted` TLS mode) on loopback in a network namespace of ")
                .append("its own. Open loop: requests leave at a fixed rate whatever the answers do, latency counts from ")
                .append("the intended send time. Injector JVM: `").append(String.join(" ", Bench.JSON.convertValue(
                        r.get("injectorFlags"), String[].class))).append("` (its Deployment's limits). The load ")
                .append("generator shares the two cores. Start-up to ready: ")
                .append(Report.fmt(r.get("startupMs"), 0)).append(" ms.\n\n");
        md.append("| rate, req/s | requests | achieved | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | errors | injector CPU | generator max lag ms |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (JsonNode p : r.get("phases")) {
            JsonNode l = p.get("latencyMs");
            md.append("| ").append(p.get("rate").asInt()).append(" | ").append(p.get("requests").asInt()).append(" | ")
                    .append(Report.fmt(p.get("achievedRate"), 0)).append(" | ").append(Report.fmt(l.get("median"), 2))
                    .append(" | ").append(Report.fmt(l.get("p95"), 2)).append(" | ").append(Report.fmt(l.get("p99"), 2))
                    .append(" | ").append(Report.fmt(p.get("p999Ms"), 1)).append(" | ").append(Report.fmt(l.get("max"), 1))
                    .append(" | ").append(p.get("errors").asInt()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f %%", p.get("injectorCpuShare").asDouble() * 100)).append(" | ")
                    .append(Report.fmt(p.get("generatorMaxLagMs"), 1)).append(" |\n");
        }
        md.append('\n');
    }

    static String pct(JsonNode share) {
        return String.format(Locale.ROOT, "%.2f [%.2f–%.2f] (%.2f–%.2f)", share.get("median").asDouble() * 100,
                share.get("p25").asDouble() * 100, share.get("p75").asDouble() * 100, share.get("min").asDouble() * 100,
                share.get("max").asDouble() * 100);
    }
}
