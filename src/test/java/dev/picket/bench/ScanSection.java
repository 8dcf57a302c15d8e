package dev.picket.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scan cost: for each neighbour of N processes and M loopback connections, a sandbox runs the workload; the
 * scan is measured with the workload steady, then with churn (50 new short-lived processes per second),
 * each as several runs of {@link ScanBenchMain} in a fresh JVM with the sidecar's flags.
 */
final class ScanSection {

    record Config(int processes, int connections) {
        static Config parse(String s) {
            String[] p = s.split("x");
            return new Config(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
        }

        String label() {
            return processes + "x" + connections;
        }
    }

    static final int CHURN_PER_SECOND = 50;
    static final long INTERVAL_MS = 1000;
    static final String JFR_PROPERTY = "picket.bench.jfr";

    private ScanSection() {
    }

    static List<Config> defaults(boolean quick) {
        List<Config> out = new ArrayList<>();
        int[] ns = quick ? new int[] {1000} : new int[] {100, 1000, 5000};
        int[] ms = quick ? new int[] {1000, 10000} : new int[] {1000, 10000};
        for (int n : ns) {
            for (int m : ms) {
                out.add(new Config(n, m));
            }
        }
        return out;
    }

    static ArrayNode run(Ctx ctx, List<Config> configs, Load load) throws Exception {
        int repeats = ctx.quick() ? 1 : 3;
        int learn = ctx.quick() ? 3 : 5;
        int steady = ctx.quick() ? 6 : 20;
        int tools = ctx.quick() ? 3 : 5;
        ArrayNode results = Bench.JSON.createArrayNode();
        for (Config c : configs) {
            Path dir = ctx.work().resolve("scan-" + c.label());
            Files.createDirectories(dir);
            Path ready = dir.resolve("ready");
            Path churn = dir.resolve("churn");
            Path out = dir.resolve("runs.jsonl");
            Path baselineOut = dir.resolve("baseline-runs.jsonl");
            Files.deleteIfExists(ready);
            Files.deleteIfExists(churn);
            Files.deleteIfExists(out);
            Files.deleteIfExists(baselineOut);
            Path log = ctx.log("scan-" + c.label());
            String script = "python3 " + ctx.repo().resolve("bench/workload.py") + " " + c.processes() + " "
                    + c.connections() + " " + ready + " " + churn + " " + CHURN_PER_SECOND + " &\nwait\n";
            System.out.printf("scan %s: starting the workload%n", c.label());
            try (BenchSandbox sandbox = BenchSandbox.start(script, log)) {
                long deadline = System.nanoTime() + 600_000_000_000L;
                while (!Files.exists(ready)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("workload " + c.label() + " not ready; see " + log);
                    }
                    Thread.sleep(200);
                }
                for (String phase : List.of("steady", "churn")) {
                    if (phase.equals("churn")) {
                        Files.writeString(churn, "");
                        Thread.sleep(3000);
                    }
                    for (int r = 0; r < repeats; r++) {
                        load.sample("scan");
                        System.out.printf("scan %s %s: run %d of %d%n", c.label(), phase, r + 1, repeats);
                        List<String> flags = new ArrayList<>(ctx.mainFlags());
                        String jfr = System.getProperty(JFR_PROPERTY);
                        if (jfr != null) {
                            Files.createDirectories(Path.of(jfr));
                            flags.add("-XX:StartFlightRecording=settings=profile,filename=" + jfr + "/scan-" + c.label()
                                    + "-" + phase + "-" + r + ".jfr");
                        }
                        String[] args = {out.toString(), ready.toString(), c.label() + "/" + phase, Integer.toString(learn),
                                Integer.toString(steady), Long.toString(INTERVAL_MS), Integer.toString(tools)};
                        sandbox.run(ctx.javaMain(flags, ScanBenchMain.class.getName(), args), log, 900);
                        if (ctx.baseline() != null) {
                            // the same run with the earlier revision's scanner and judge, right after: same load
                            args[0] = baselineOut.toString();
                            sandbox.run(ctx.baselineMain(flags, ScanBenchMain.class.getName(), args), log, 900);
                        }
                    }
                    Files.deleteIfExists(churn);
                }
            }
            for (Path file : ctx.baseline() != null ? List.of(out, baselineOut) : List.of(out)) {
                List<JsonNode> runs = new ArrayList<>();
                for (String line : Files.readAllLines(file)) {
                    runs.add(Bench.JSON.readTree(line));
                }
                for (String phase : List.of("steady", "churn")) {
                    ObjectNode s = summarize(c, phase, runs.stream()
                            .filter(r -> r.get("config").asText().endsWith("/" + phase)).toList());
                    s.put("variant", file == out ? "current" : ctx.baselineLabel());
                    results.add(s);
                }
            }
        }
        return results;
    }

    /** Pools the raw samples of every run of one configuration and phase. */
    static ObjectNode summarize(Config c, String phase, List<JsonNode> runs) throws IOException {
        ObjectNode o = Bench.JSON.createObjectNode();
        o.put("config", c.label());
        o.put("processes", c.processes());
        o.put("connections", c.connections());
        o.put("phase", phase);
        o.put("churnPerSecond", phase.equals("churn") ? CHURN_PER_SECOND : 0);
        o.put("intervalMs", INTERVAL_MS);
        o.put("runs", runs.size());
        List<Double> first = new ArrayList<>();
        List<Double> firstCpu = new ArrayList<>();
        List<Double> cpuPerScan = new ArrayList<>();
        List<Double> cpuShare = new ArrayList<>();
        int findings = 0;
        for (JsonNode r : runs) {
            first.add(r.get("firstScanMs").asDouble());
            firstCpu.add(r.get("firstScanCpuMs").asDouble());
            cpuPerScan.add(r.get("processCpuMsPerScan").asDouble());
            cpuShare.add(r.get("processCpuShare").asDouble());
            findings += r.get("freshFindingsWhileSteady").asInt();
        }
        o.set("firstScanMs", Bench.Summary.of(first).json());
        o.set("firstScanCpuMs", Bench.Summary.of(firstCpu).json());
        o.set("processCpuMsPerScan", Bench.Summary.of(cpuPerScan).json());
        o.set("processCpuShare", Bench.Summary.of(cpuShare).json());
        o.put("freshFindingsWhileSteady", findings);
        for (String key : List.of("steadyScanMs", "steadyScanCpuMs", "judgeMs", "judgeCpuMs", "statsMs", "detailsMs",
                "socketTablesMs", "ownersMs", "forks", "processes", "sockets", "psSsMs", "floorMs", "floorStatsMs",
                "floorTablesMs")) {
            List<Double> all = new ArrayList<>();
            for (JsonNode r : runs) {
                all.addAll(Bench.doubles(r.get(key)));
            }
            o.set(key, Bench.Summary.of(all).json());
        }
        double steady = o.get("steadyScanMs").get("median").asDouble();
        o.put("psSsRatio", Bench.round(o.get("psSsMs").get("median").asDouble() / steady));
        o.put("floorRatio", Bench.round(steady / o.get("floorMs").get("median").asDouble()));
        if (!runs.isEmpty() && runs.getFirst().has("learnedProfile")) {
            o.put("learnedProfile", runs.getFirst().get("learnedProfile").asText());
        }
        return o;
    }
}
