package dev.picket.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.picket.judge.Judge;
import dev.picket.judge.JudgeContext;
import dev.picket.judge.Verdict;
import dev.picket.observe.ProcScanner;
import dev.picket.observe.ScannerSettings;
import dev.picket.observe.Snapshot;
import dev.picket.profile.Profile;
import dev.picket.profile.ProfileCompiler;
import dev.picket.profile.ProfileRenderer;
import dev.picket.profile.Validated;
import dev.picket.profile.learn.Learner;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Measures one configuration from inside the benchmark sandbox (own PID and network namespace, as a pod),
 * as one run of a fresh JVM started with the sidecar's JVM flags:
 *
 * <ol>
 * <li>Picket's first scan (wall and thread CPU time);</li>
 * <li>{@code learnScans} scans judged in learn mode and fed to the learner, as a pod without a profile does;
 * they also warm the JIT. The learned profile is rendered and compiled in enforce mode, which is the
 * "realistic learned profile" the steady scans are judged against;</li>
 * <li>{@code steadyScans} scans at the interval: wall and thread-CPU time of the scan, its phases, the judge's
 * wall and thread-CPU time on the same snapshot, and the process's CPU time (all threads: JIT, GC) over the
 * whole steady window;</li>
 * <li>{@code ps}+{@code ss} over the same namespace, and the floor: a minimal reader that opens and reads
 * every /proc/PID/stat and every socket table once.</li>
 * </ol>
 * Appends one JSON object with every raw sample to the output file, so runs can be pooled.
 *
 * <p>Arguments: output file, ready file (written by the workload), configuration label, learn scans, steady
 * scans, interval in ms, tool runs.
 */
public final class ScanBenchMain {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path ready = Path.of(args[1]);
        String label = args[2];
        int learnScans = Integer.parseInt(args[3]);
        int scans = Integer.parseInt(args[4]);
        long intervalMs = Long.parseLong(args[5]);
        int toolRuns = Integer.parseInt(args[6]);
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (!Files.exists(ready)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("workload never became ready");
            }
            Thread.sleep(100);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        JudgeContext context = context();
        ObjectNode result = JSON.createObjectNode();
        result.put("config", label);
        try (ProcScanner scanner = new ProcScanner(ScannerSettings.pod(Path.of("/proc")), Clock.systemUTC())) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            Snapshot first = scanner.scan();
            result.put("firstScanMs", ms(System.nanoTime() - t0));
            result.put("firstScanCpuMs", ms(threads.getCurrentThreadCpuTime() - c0));
            result.put("firstProcesses", first.totals().processes());

            Judge judge = new Judge(context);
            Learner learner = new Learner(1.5, (kind, time) -> { });
            Profile learning = ProfileCompiler.embeddedDefault();
            for (int i = 0; i < learnScans; i++) {
                Thread.sleep(intervalMs);
                Snapshot s = scanner.scan();
                Verdict v = judge.judge(s, learning);
                learner.observe(s, v, context, v.forksPerMinute());
            }
            String yaml = ProfileRenderer.renderLearned("bench", learner.spec());
            Validated<Profile> compiled = ProfileCompiler.fromYaml(yaml.getBytes(StandardCharsets.UTF_8), "learned", 2);
            if (!compiled.isValid()) {
                throw new IllegalStateException("the learned profile does not compile: " + compiled.describe());
            }
            Profile learned = compiled.value();
            result.put("learnedProfile", yaml);

            ArrayNode wall = result.putArray("steadyScanMs");
            ArrayNode cpu = result.putArray("steadyScanCpuMs");
            ArrayNode judgeMs = result.putArray("judgeMs");
            ArrayNode judgeCpu = result.putArray("judgeCpuMs");
            ArrayNode stats = result.putArray("statsMs");
            ArrayNode details = result.putArray("detailsMs");
            ArrayNode tables = result.putArray("socketTablesMs");
            ArrayNode owners = result.putArray("ownersMs");
            ArrayNode forks = result.putArray("forks");
            ArrayNode processes = result.putArray("processes");
            ArrayNode sockets = result.putArray("sockets");
            int findings = 0;
            long p0 = os.getProcessCpuTime();
            long w0 = System.nanoTime();
            for (int i = 0; i < scans; i++) {
                Thread.sleep(intervalMs);
                c0 = threads.getCurrentThreadCpuTime();
                t0 = System.nanoTime();
                Snapshot s = scanner.scan();
                long t1 = System.nanoTime();
                long c1 = threads.getCurrentThreadCpuTime();
                Verdict v = judge.judge(s, learned);
                long t2 = System.nanoTime();
                long c2 = threads.getCurrentThreadCpuTime();
                wall.add(ms(t1 - t0));
                cpu.add(ms(c1 - c0));
                judgeMs.add(ms(t2 - t1));
                judgeCpu.add(ms(c2 - c1));
                stats.add(s.timings().statsMs());
                details.add(s.timings().detailsMs());
                tables.add(s.timings().socketTablesMs());
                owners.add(s.timings().ownersMs());
                forks.add(s.forks().sinceLastScan());
                processes.add(s.totals().processes());
                sockets.add(s.listeners().size() + s.outbound().size() + s.inbound().size() + s.raw().size()
                        + s.unix().size());
                findings += v.fresh().size();
            }
            long windowNanos = System.nanoTime() - w0;
            long processCpu = os.getProcessCpuTime() - p0;
            result.put("processCpuMsPerScan", ms(processCpu) / scans);
            result.put("processCpuShare", processCpu / (double) windowNanos);
            result.put("freshFindingsWhileSteady", findings);

            ArrayNode tools = result.putArray("psSsMs");
            for (int i = 0; i < toolRuns; i++) {
                tools.add(psAndSs());
            }
            ArrayNode floor = result.putArray("floorMs");
            ArrayNode floorStats = result.putArray("floorStatsMs");
            ArrayNode floorTables = result.putArray("floorTablesMs");
            for (int i = 0; i < toolRuns + 2; i++) {
                double[] f = Floor.procFloor();
                floor.add(f[0]);
                floorStats.add(f[1]);
                floorTables.add(f[2]);
            }
        }
        String line = JSON.writeValueAsString(result) + "\n";
        Files.writeString(out, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static JudgeContext context() throws IOException {
        // readAllLines: a procfs sysctl read at a non-zero offset is empty
        String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst().trim()
                .split("\\s+");
        return new JudgeContext(List.of(), Optional.empty(), 0, Integer.parseInt(range[0]), Integer.parseInt(range[1]));
    }

    static double ms(long nanos) {
        return Math.round(nanos / 1000.0) / 1000.0;
    }

    /** What a user would run instead: ps and ss over the same namespace, output discarded. */
    private static double psAndSs() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        run("ps", "-eo", "pid,ppid,uid,rss,etimes,args");
        run("ss", "-tanup");
        return ms(System.nanoTime() - t0);
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
    }
}
