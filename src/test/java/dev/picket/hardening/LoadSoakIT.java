package dev.picket.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sidecar under load in a pod-like sandbox ({@link Pod}), with the JVM flags of its image and the
 * injector's memory limit (128 MiB, {@code -XX:MaxRAM}): a neighbour with 5 000 processes that creates 200 more
 * per second, and runs an executable from a writable directory every 2.5 s, each living 3.5 s (more than two
 * 1 s intervals). Over the run:
 * <ul>
 * <li>scans keep their interval: at least 90 % of the scans the interval allows complete, and the mean scan takes
 * less than the interval;</li>
 * <li>memory stays bounded: after a warm-up, neither the live heap after collection nor the RSS grows from the
 * first third of the run to the last (and the JVM, which exits on OutOfMemoryError, is alive);</li>
 * <li>no violation is lost: every one of the forbidden executables is reported.</li>
 * </ul>
 * 75 s in every build; {@code -Dpicket.soak=10m} runs the ten minutes (docs/hardening.md records a result).
 * The measurements are written to {@code <build dir>/soak-result.txt}.
 */
class LoadSoakIT {

    static final int PROCESSES = 5000;
    static final int RATE = 200;

    @Test
    void scansKeepTheirIntervalMemoryStaysBoundedAndNoViolationIsLost() throws Exception {
        Duration length = Duration.parse("PT" + System.getProperty("picket.soak", "75s").toUpperCase(Locale.ROOT));
        Duration warmUp = Duration.ofSeconds(Math.max(20, length.toSeconds() / 10));
        try (Pod pod = Pod.start(true, "1s", "-XX:MaxRAM=128m", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=60",
                "-XX:+ExitOnOutOfMemoryError", "-Xss512k", "-XX:ReservedCodeCacheSize=48m", "-XX:TieredStopAtLevel=1",
                "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30")) {
            pod.neighbour("python3 load.py " + PROCESSES + " " + RATE + " stop > load.out 2>&1");
            assertThat(pod.awaitOutput("load.out", Duration.ofSeconds(120))).startsWith("ready " + PROCESSES);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    pod.control("/v1/status").at("/lastScan/processes").asInt() >= PROCESSES);
            Thread.sleep(warmUp.toMillis());

            Instant start = Instant.now();
            double scans0 = metric(pod, "picket_scans_total");
            double durationSum0 = metric(pod, "picket_scan_duration_seconds_sum");
            double durationCount0 = metric(pod, "picket_scan_duration_seconds_count");
            List<double[]> samples = new ArrayList<>();
            List<String> forbidden = new ArrayList<>();
            long nextForbidden = System.nanoTime();
            long nextSample = System.nanoTime();
            while (Duration.between(start, Instant.now()).compareTo(length) < 0) {
                assertThat(ProcessHandle.of(pod.picketHostPid()).map(ProcessHandle::isAlive).orElse(false))
                        .as("the sidecar is alive (it exits on OutOfMemoryError):\n%s", pod.tail()).isTrue();
                if (System.nanoTime() >= nextForbidden) {
                    String exe = pod.shared.resolve("evil-" + forbidden.size()).toString();
                    forbidden.add(exe);
                    pod.neighbour("cp /bin/sleep " + exe + " && exec " + exe + " 3.5");
                    nextForbidden += 2_500_000_000L;
                }
                if (System.nanoTime() >= nextSample) {
                    samples.add(new double[] {Duration.between(start, Instant.now()).toMillis() / 1000.0,
                        metric(pod, "jvm_gc_live_data_size_bytes"), rssBytes(pod.picketHostPid())});
                    nextSample += 2_000_000_000L;
                }
                Thread.sleep(50);
            }
            Duration elapsed = Duration.between(start, Instant.now());
            double scans = metric(pod, "picket_scans_total") - scans0;
            double meanScan = (metric(pod, "picket_scan_duration_seconds_sum") - durationSum0)
                    / Math.max(1, metric(pod, "picket_scan_duration_seconds_count") - durationCount0);
            Thread.sleep(4000);
            List<String> reported = pod.violations().stream()
                    .filter(v -> "exec-from-writable-dir".equals(v.path("rule").asText()))
                    .map(v -> v.path("exe").asText()).toList();
            Files.writeString(pod.shared.resolve("stop"), "");

            int third = samples.size() / 3;
            double liveFirst = max(samples.subList(0, third), 1);
            double liveLast = max(samples.subList(samples.size() - third, samples.size()), 1);
            double rssFirst = max(samples.subList(0, third), 2);
            double rssLast = max(samples.subList(samples.size() - third, samples.size()), 2);
            JsonNode status = pod.control("/v1/status");
            String result = String.format(Locale.ROOT, """
                    soak %s (after %s warm-up) on %d cores, %s
                    neighbour: %d processes (scan saw %d), %d new per second
                    scans: %.0f in %.1f s (interval 1 s), mean scan %.1f ms
                    live heap after GC, max of first/last third: %.1f / %.1f MiB
                    RSS, max of first/last third: %.1f / %.1f MiB
                    forbidden executables started: %d, reported: %d
                    """, length, warmUp, Runtime.getRuntime().availableProcessors(), machine(), PROCESSES,
                    status.at("/lastScan/processes").asInt(), RATE, scans, elapsed.toMillis() / 1000.0, meanScan * 1000,
                    liveFirst / 1048576, liveLast / 1048576, rssFirst / 1048576, rssLast / 1048576, forbidden.size(),
                    forbidden.stream().filter(reported::contains).count());
            Files.writeString(BuildDir.root().resolve("soak-result.txt"), result);
            System.out.println(result);

            assertThat(reported).as(result).containsAll(forbidden);
            assertThat(scans).as(result).isGreaterThanOrEqualTo(0.9 * elapsed.toSeconds());
            assertThat(meanScan).as(result).isLessThan(1.0);
            assertThat(liveLast).as(result).isLessThanOrEqualTo(liveFirst * 1.2 + 4 * 1048576);
            assertThat(rssLast).as(result).isLessThanOrEqualTo(rssFirst * 1.15 + 16 * 1048576);
        }
    }

    private static double max(List<double[]> samples, int column) {
        return samples.stream().mapToDouble(s -> s[column]).max().orElse(0);
    }

    private static double metric(Pod pod, String name) throws Exception {
        return pod.management("/q/metrics").lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static double rssBytes(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).mapToDouble(l -> Double.parseDouble(l.split("\\s+")[1]) * 1024)
                .findFirst().orElse(0);
    }

    private static String machine() {
        try {
            String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
            String mem = Files.readAllLines(Path.of("/proc/meminfo")).getFirst().replaceAll("\\s+", " ");
            return model + ", " + mem + ", kernel " + System.getProperty("os.version") + ", Java "
                    + System.getProperty("java.version");
        } catch (java.io.IOException e) {
            return "unknown machine";
        }
    }
}
