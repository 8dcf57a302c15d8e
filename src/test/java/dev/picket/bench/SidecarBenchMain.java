package dev.picket.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged sidecar ({@code java FLAGS -jar quarkus-run.jar}) inside the benchmark sandbox, as its
 * parent (so this JVM is one of Picket's ancestors, which pod mode leaves out, like the pause process), and
 * measures it. Arguments: a request file (JSON) and the result file. Modes:
 *
 * <ul>
 * <li>{@code idle}: start-up time (process start to {@code /q/health/started} answering 200, which includes
 * loading the profile and the first scan), several times; then, after a warm-up, CPU time (the sum of every
 * thread's schedstat run time) and memory (VmRSS, and Rss/Pss from smaps_rollup) once a second;</li>
 * <li>{@code train}: runs the sidecar for a while and stops it with SIGTERM, for flags that write a class-data
 * archive at exit;</li>
 * <li>{@code latency}: detection latency. Each trial waits a random part of the interval (so trials fall at
 * every phase of the scan cycle), then spawns a forbidden process or has an allowed helper open a forbidden
 * connection, and polls {@code GET /v1/violations} every 5 ms until the violation is there.</li>
 * </ul>
 */
public final class SidecarBenchMain {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP/1.1: the JDK client's default h2c upgrade gets a 500 from the control port (which speaks HTTP/1.1 only). */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final int CONTROL_PORT = 8788;
    private static final int MANAGEMENT_PORT = 8789;
    private static final long POLL_MS = 5;

    public static void main(String[] args) throws Exception {
        JsonNode req = JSON.readTree(Path.of(args[0]).toFile());
        Path out = Path.of(args[1]);
        ObjectNode result = switch (req.get("mode").asText()) {
            case "idle" -> idle(req);
            case "train" -> train(req);
            case "latency" -> latency(req);
            default -> throw new IllegalArgumentException(req.get("mode").asText());
        };
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.exit(0);
    }

    // ---- the sidecar -------------------------------------------------------------------------------

    static Process start(JsonNode req, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        // a native executable takes the place of java and its main
        cmd.add(req.has("executable") ? req.get("executable").asText() : req.get("java").asText());
        for (JsonNode f : req.get("flags")) {
            cmd.add(f.asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = req.get("props").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            cmd.add("-D" + e.getKey() + "=" + e.getValue().asText());
        }
        if (!req.has("executable")) {
            for (JsonNode a : req.get("main")) {
                cmd.add(a.asText());
            }
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /**
     * Milliseconds from start until /q/health/started answers 200; for a program without it (the JVM floor),
     * a fixed wait, reported as NaN.
     */
    static double awaitStarted(JsonNode req, Process p, long t0, Duration timeout) throws InterruptedException {
        if (req.path("noHealth").asBoolean()) {
            Thread.sleep(3000);
            return Double.NaN;
        }
        long deadline = t0 + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the program exited with " + p.exitValue());
            }
            if (status("http://127.0.0.1:" + MANAGEMENT_PORT + "/q/health/started") == 200) {
                return (System.nanoTime() - t0) / 1e6;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the program did not start within " + timeout);
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM: a graceful shutdown, which is when archives are written
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    private static int status(String url) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    // ---- idle --------------------------------------------------------------------------------------

    static ObjectNode idle(JsonNode req) throws Exception {
        Path log = Path.of(req.get("log").asText());
        int startups = req.get("startups").asInt();
        ObjectNode result = JSON.createObjectNode();
        ArrayNode startupMs = result.putArray("startupMs");
        Process p = null;
        for (int i = 0; i < startups; i++) {
            long t0 = System.nanoTime();
            p = start(req, log);
            double ms = awaitStarted(req, p, t0, Duration.ofSeconds(120));
            if (!Double.isNaN(ms)) {
                startupMs.add(Bench.round(ms));
            }
            if (i < startups - 1) {
                stop(p);
            }
        }
        long pid = p.pid();
        Thread.sleep(req.get("warmupSeconds").asLong() * 1000);
        int seconds = req.get("measureSeconds").asInt();
        int window = req.get("windowSeconds").asInt();
        ArrayNode cpuShare = result.putArray("cpuShareWindows");
        ArrayNode rss = result.putArray("rssKiB");
        ArrayNode pss = result.putArray("pssKiB");
        ArrayNode pssAnon = result.putArray("pssAnonKiB");
        ArrayNode pssFile = result.putArray("pssFileKiB");
        long ticks0 = Bench.cpuTicks(pid);
        long runNanos0 = runNanos(pid);
        long wall0 = System.nanoTime();
        long windowRun = runNanos0;
        long windowWall = wall0;
        for (int s = 1; s <= seconds; s++) {
            long next = wall0 + s * 1_000_000_000L;
            Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            rss.add(Bench.kb(Path.of("/proc", Long.toString(pid), "status"), "VmRSS"));
            Path rollup = Path.of("/proc", Long.toString(pid), "smaps_rollup");
            pss.add(Bench.kb(rollup, "Pss"));
            pssAnon.add(Bench.kb(rollup, "Pss_Anon"));
            pssFile.add(Bench.kb(rollup, "Pss_File"));
            if (s % window == 0) {
                long run = runNanos(pid);
                long now = System.nanoTime();
                cpuShare.add((run - windowRun) / (double) (now - windowWall));
                windowRun = run;
                windowWall = now;
            }
        }
        long wall = System.nanoTime() - wall0;
        result.put("cpuShareTotal", (runNanos(pid) - runNanos0) / (double) wall);
        result.put("cpuShareTicks", (Bench.cpuTicks(pid) - ticks0) / 100.0 / (wall / 1e9));
        result.put("threads", Bench.kb(Path.of("/proc", Long.toString(pid), "status"), "Threads"));
        result.put("measureSeconds", seconds);
        result.put("warmupSeconds", req.get("warmupSeconds").asInt());
        stop(p);
        return result;
    }

    /** CPU time of every thread of a process, in nanoseconds, from /proc/PID/task/TID/schedstat. */
    static long runNanos(long pid) {
        long sum = 0;
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        String[] tids = tasks.toFile().list();
        if (tids == null) {
            return -1;
        }
        for (String tid : tids) {
            try {
                String s = Files.readString(tasks.resolve(tid).resolve("schedstat")).trim();
                sum += Long.parseLong(s.substring(0, s.indexOf(' ')));
            } catch (IOException | RuntimeException e) {
                // a thread that ended meanwhile
            }
        }
        return sum;
    }

    // ---- train -------------------------------------------------------------------------------------

    static ObjectNode train(JsonNode req) throws Exception {
        Path log = Path.of(req.get("log").asText());
        long t0 = System.nanoTime();
        Process p = start(req, log);
        double started = awaitStarted(req, p, t0, Duration.ofSeconds(120));
        Thread.sleep(req.get("trainSeconds").asLong() * 1000);
        long s0 = System.nanoTime();
        stop(p);
        ObjectNode result = JSON.createObjectNode();
        result.put("startupMs", Bench.round(started));
        result.put("stopMs", Bench.round((System.nanoTime() - s0) / 1e6));
        result.put("exitCode", p.exitValue());
        return result;
    }

    // ---- latency -----------------------------------------------------------------------------------

    static ObjectNode latency(JsonNode req) throws Exception {
        Path log = Path.of(req.get("log").asText());
        long interval = req.get("intervalMs").asLong();
        int trials = req.get("trials").asInt();
        int firstPort = req.get("firstPort").asInt();
        String address = req.get("address").asText();
        Path tokenFile = Path.of(req.get("props").get("picket.state.dir").asText(), "control-token");
        SplittableRandom random = new SplittableRandom(8);
        ObjectNode result = JSON.createObjectNode();
        Process helper = new ProcessBuilder("python3", req.get("helper").asText(), address, Integer.toString(firstPort),
                Integer.toString(trials)).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        BufferedReader helperOut = new BufferedReader(new InputStreamReader(helper.getInputStream(), StandardCharsets.UTF_8));
        Writer helperIn = new OutputStreamWriter(helper.getOutputStream(), StandardCharsets.UTF_8);
        if (!"ready".equals(helperOut.readLine())) {
            throw new IllegalStateException("the latency helper did not start");
        }
        long t0 = System.nanoTime();
        Process picket = start(req, log);
        try {
            result.put("startupMs", Bench.round(awaitStarted(req, picket, t0, Duration.ofSeconds(120))));
            String token = Files.readString(tokenFile).trim();
            Thread.sleep(req.get("warmupSeconds").asLong() * 1000);
            ArrayNode process = result.putArray("processMs");
            ArrayNode connection = result.putArray("connectionMs");
            int missed = 0;
            String forbidden = req.get("forbidden").asText();
            String forbiddenName = forbidden.substring(forbidden.lastIndexOf('/') + 1);
            for (int i = 0; i < trials; i++) {
                // process: a forbidden executable, spawned by this JVM (outside the watched scope) into the pod
                Thread.sleep(random.nextLong(interval));
                Process p = new ProcessBuilder(forbidden, "-f", "/dev/null").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                long spawned = System.nanoTime(); // start() returns once the exec succeeded
                double ms = awaitViolation(token, v -> v.path("pid").asLong() == p.pid()
                        && v.path("exe").asText().endsWith("/" + forbiddenName), spawned, interval);
                p.destroyForcibly();
                p.waitFor();
                if (ms < 0) {
                    missed++;
                } else {
                    process.add(Bench.round(ms));
                }
                // connection: an allowed helper opens a connection to an address no egress entry allows
                Thread.sleep(random.nextLong(interval));
                int port = firstPort + i;
                long asked = System.nanoTime();
                helperIn.write("connect " + port + "\n");
                helperIn.flush();
                if (!"ok".equals(helperOut.readLine())) {
                    throw new IllegalStateException("the latency helper failed to connect to " + address + ":" + port);
                }
                String remote = address + ":" + port + "/tcp";
                ms = awaitViolation(token, v -> "egress".equalsIgnoreCase(v.path("kind").asText())
                        && remote.equals(v.path("remote").asText()), asked, interval);
                if (ms < 0) {
                    missed++;
                } else {
                    connection.add(Bench.round(ms));
                }
            }
            result.put("missed", missed);
            result.put("intervalMs", interval);
            result.put("pollMs", POLL_MS);
        } finally {
            stop(picket);
            helper.destroyForcibly();
        }
        return result;
    }

    /** Polls the violations until one matches; milliseconds from {@code since}, or -1 after 10 intervals. */
    private static double awaitViolation(String token, java.util.function.Predicate<JsonNode> match, long since,
            long interval) throws Exception {
        long deadline = since + Math.max(10 * interval, 5000) * 1_000_000L;
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + CONTROL_PORT + "/v1/violations?limit=20"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
            long now = System.nanoTime();
            if (resp.statusCode() == 200) {
                for (JsonNode v : JSON.readTree(resp.body())) {
                    if (match.test(v)) {
                        return (now - since) / 1e6;
                    }
                }
            }
            Thread.sleep(POLL_MS);
        }
        return -1;
    }
}
