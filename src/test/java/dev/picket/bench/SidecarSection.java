package dev.picket.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The packaged sidecar in a pod-like sandbox watching 100 processes: idle overhead and start-up with the
 * image's JVM flags, the same for candidate flag sets, and detection latency at 1 s and 250 ms.
 */
final class SidecarSection {

    static final String ADDRESS = "10.1.2.3";
    static final int FIRST_PORT = 20000;

    private SidecarSection() {
    }

    /** What runs: the sidecar, the floor app (Quarkus with the sidecar's extensions, no Picket code), or an idle JVM. */
    enum Program {
        SIDECAR, FLOOR_QUARKUS, FLOOR_JVM
    }

    /** One set of JVM flags to compare on one program. */
    record Candidate(String name, String why, List<String> flags, Program program) {
        Candidate(String name, String why, List<String> flags) {
            this(name, why, flags, Program.SIDECAR);
        }
    }

    // ---- sections ------------------------------------------------------------------------------------

    static JsonNode idle(Ctx ctx) throws Exception {
        try (BenchSandbox sandbox = sandbox(ctx, "idle")) {
            ObjectNode r = measureIdle(ctx, sandbox, "image", ctx.podFlags(), Program.SIDECAR, ctx.quick() ? 2 : 5,
                    ctx.quick() ? 20 : 60, ctx.quick() ? 30 : 180);
            r.set("flags", Bench.JSON.valueToTree(ctx.podFlags()));
            ObjectNode out = summarizeIdle(r);
            if (ctx.nativeExecutable() != null) {
                // the native targets: the same measurement of a native build (./mvnw package -Dnative)
                Path dir = fresh(ctx.work().resolve("sidecar-native"));
                ObjectNode req = request(ctx, "idle", List.of(), dir);
                req.put("executable", ctx.nativeExecutable().toString());
                req.put("startups", ctx.quick() ? 2 : 5);
                req.put("warmupSeconds", ctx.quick() ? 20 : 60);
                req.put("measureSeconds", ctx.quick() ? 30 : 180);
                req.put("windowSeconds", 10);
                ObjectNode n = (ObjectNode) runMain(ctx, sandbox, req, dir, 900);
                n.set("flags", Bench.JSON.valueToTree(List.of()));
                ObjectNode ns = summarizeIdle(n);
                ns.put("executable", ctx.nativeExecutable().toString());
                out.set("native", ns);
            }
            return out;
        }
    }

    static JsonNode flags(Ctx ctx) throws Exception {
        ArrayNode out = Bench.JSON.createArrayNode();
        try (BenchSandbox sandbox = sandbox(ctx, "flags")) {
            fresh(ctx.work().resolve("archives"));
            for (Candidate c : candidates(ctx)) {
                System.out.printf("flags: %s%n", c.name());
                ObjectNode r = measureIdle(ctx, sandbox, "flags-" + c.name(), c.flags(), c.program(),
                        ctx.quick() ? 2 : 3, ctx.quick() ? 15 : 30, ctx.quick() ? 20 : 40);
                r.put("program", c.program().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
                r.put("name", c.name());
                r.put("why", c.why());
                r.set("flags", Bench.JSON.valueToTree(c.flags()));
                out.add(summarizeIdle(r));
            }
        }
        return out;
    }

    static JsonNode latency(Ctx ctx) throws Exception {
        ArrayNode out = Bench.JSON.createArrayNode();
        int trials = ctx.quick() ? 20 : 120;
        try (BenchSandbox sandbox = sandbox(ctx, "latency")) {
            List<String> flags = prepareArchives(ctx, sandbox, ctx.podFlags(), "latency");
            for (long interval : new long[] {1000, 250}) {
                System.out.printf("latency: interval %d ms, %d trials of each kind%n", interval, trials);
                Path dir = fresh(ctx.work().resolve("latency-" + interval));
                Path profile = dir.resolve("profile.yaml");
                Files.writeString(profile, profile(trials));
                ObjectNode req = request(ctx, "latency", flags, dir);
                ((ObjectNode) req.get("props")).put("picket.profile.path", profile.toString());
                ((ObjectNode) req.get("props")).put("picket.scan.interval", interval + "ms");
                req.put("intervalMs", interval);
                req.put("trials", trials);
                req.put("warmupSeconds", ctx.quick() ? 5 : 20);
                req.put("helper", ctx.repo().resolve("bench/latency_helper.py").toString());
                req.put("address", ADDRESS);
                req.put("firstPort", FIRST_PORT);
                req.put("forbidden", Path.of("/usr/bin/tail").toRealPath().toString());
                JsonNode r = runMain(ctx, sandbox, req, dir, 3600);
                ObjectNode s = Bench.JSON.createObjectNode();
                s.put("intervalMs", interval);
                s.put("trials", trials);
                s.put("missed", r.get("missed").asInt());
                s.put("pollMs", r.get("pollMs").asInt());
                s.set("processMs", Bench.Summary.of(Bench.doubles(r.get("processMs"))).json());
                s.set("connectionMs", Bench.Summary.of(Bench.doubles(r.get("connectionMs"))).json());
                s.set("raw", r);
                out.add(s);
            }
        }
        return out;
    }

    // ---- the candidates ------------------------------------------------------------------------------

    /**
     * JVM flag sets measured against each other. Every one runs with the pod emulation (128 MiB, one CPU).
     * "before" is the image's flags as they were when this benchmark was written.
     */
    static List<Candidate> candidates(Ctx ctx) {
        Path a = ctx.work().resolve("archives");
        List<String> before = List.of("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=60", "-XX:+ExitOnOutOfMemoryError",
                "-XX:-UsePerfData", "-Xss512k", "-XX:ReservedCodeCacheSize=48m", "-XX:TieredStopAtLevel=1");
        List<Candidate> out = new ArrayList<>();
        out.add(new Candidate("jvm-defaults", "no flags: the JVM's own choice in a 128 MiB, one-CPU container",
                List.of()));
        out.add(new Candidate("before", "the image's flags before this benchmark", before));
        out.add(new Candidate("before+C2", "the same without -XX:TieredStopAtLevel=1", without(before,
                "-XX:TieredStopAtLevel=1")));
        out.add(new Candidate("before+coh", "plus compact object headers (JEP 519, product in JDK 25)",
                with(before, "-XX:+UseCompactObjectHeaders")));
        out.add(new Candidate("before+heap", "plus a heap that shrinks after a collection (free ratios 10–30 %)",
                with(before, "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30")));
        out.add(new Candidate("before+cds", "plus an AppCDS archive made by a 20 s training run at image build",
                with(before, "-XX:SharedArchiveFile=" + a.resolve("before-cds.jsa"))));
        out.add(new Candidate("before+aot", "plus a JDK 25 AOT cache made by a 20 s training run at image build",
                with(before, "-XX:AOTCache=" + a.resolve("before-aot.aot"))));
        out.add(new Candidate("before+trim", "plus returning freed native memory every 5 s",
                with(before, "-XX:TrimNativeHeapInterval=5000")));
        out.add(new Candidate("image", "the image's flags now (src/main/docker/Dockerfile.jvm)", ctx.imageFlags()));
        out.add(new Candidate("floor: Quarkus", "the floor app: the sidecar's extensions, no Picket code ("
                + "bench/floor-app), with the image's flags but no archive", withoutArchives(ctx.imageFlags()),
                Program.FLOOR_QUARKUS));
        out.add(new Candidate("floor: JVM", "a JVM that only sleeps, with the image's flags but no archive",
                withoutArchives(ctx.imageFlags()), Program.FLOOR_JVM));
        List<Candidate> emulated = new ArrayList<>();
        for (Candidate c : out) {
            List<String> f = new ArrayList<>(c.flags());
            f.addAll(JvmFlags.POD_EMULATION);
            emulated.add(new Candidate(c.name(), c.why(), f, c.program()));
        }
        return emulated;
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> f = new ArrayList<>(base);
        f.addAll(List.of(more));
        return f;
    }

    private static List<String> withoutArchives(List<String> flags) {
        return flags.stream().filter(f -> !f.startsWith("-XX:AOTCache") && !f.startsWith("-XX:SharedArchiveFile")).toList();
    }

    private static List<String> without(List<String> base, String flag) {
        List<String> f = new ArrayList<>(base);
        f.remove(flag);
        return f;
    }

    // ---- measuring -----------------------------------------------------------------------------------

    static BenchSandbox sandbox(Ctx ctx, String name) throws IOException, InterruptedException {
        Path dir = fresh(ctx.work().resolve("sandbox-" + name));
        Path ready = dir.resolve("ready");
        // /run is an empty tmpfs so the host's container-runtime sockets stay out, as in a pod
        String script = "mount -t tmpfs picket-run /run\nip addr add " + ADDRESS + "/32 dev lo\npython3 "
                + ctx.repo().resolve("bench/workload.py") + " 100 0 " + ready + " &\nwait\n";
        BenchSandbox sandbox = BenchSandbox.start(script, ctx.log("sandbox-" + name));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(ready)) {
            if (System.nanoTime() > deadline) {
                sandbox.close();
                throw new IllegalStateException("the 100-process workload did not start; see " + ctx.log("sandbox-" + name));
            }
            Thread.sleep(100);
        }
        return sandbox;
    }

    static ObjectNode measureIdle(Ctx ctx, BenchSandbox sandbox, String name, List<String> flags, Program program,
            int startups, int warmup, int measure) throws Exception {
        List<String> f = program == Program.SIDECAR ? prepareArchives(ctx, sandbox, flags, name) : flags;
        Path dir = fresh(ctx.work().resolve("sidecar-" + name.replaceAll("[^a-zA-Z0-9+-]", "_")));
        ObjectNode req = request(ctx, "idle", f, dir);
        switch (program) {
            case FLOOR_QUARKUS -> req.putPOJO("main", List.of("-jar", ctx.floorApp().resolve("quarkus-run.jar").toString()));
            case FLOOR_JVM -> {
                req.putPOJO("main", List.of("-cp", ctx.classpath(), IdleMain.class.getName()));
                req.put("noHealth", true);
            }
            default -> {
            }
        }
        req.put("startups", startups);
        req.put("warmupSeconds", warmup);
        req.put("measureSeconds", measure);
        req.put("windowSeconds", 10);
        return (ObjectNode) runMain(ctx, sandbox, req, dir, 600 + warmup + measure);
    }

    /**
     * A flag that names a class-data archive which does not exist yet gets it made the way the image build
     * makes it: a training run of the sidecar in the sandbox, stopped with SIGTERM after 20 s.
     */
    static List<String> prepareArchives(Ctx ctx, BenchSandbox sandbox, List<String> flags, String name) throws Exception {
        for (String flag : flags) {
            String create = null;
            Path file = null;
            if (flag.startsWith("-XX:SharedArchiveFile=")) {
                file = Path.of(flag.substring(flag.indexOf('=') + 1));
                create = "-XX:ArchiveClassesAtExit=" + file;
            } else if (flag.startsWith("-XX:AOTCache=")) {
                file = Path.of(flag.substring(flag.indexOf('=') + 1));
                create = "-XX:AOTCacheOutput=" + file;
            }
            if (file == null || Files.exists(file)) {
                continue;
            }
            Files.createDirectories(file.getParent());
            List<String> training = new ArrayList<>();
            for (String other : flags) {
                if (!other.equals(flag)) {
                    training.add(other);
                }
            }
            training.add(create);
            Path dir = fresh(ctx.work().resolve("train-" + name.replaceAll("[^a-zA-Z0-9+-]", "_")));
            ObjectNode req = request(ctx, "train", training, dir);
            req.put("trainSeconds", 20);
            System.out.printf("%s: training run for %s%n", name, file.getFileName());
            runMain(ctx, sandbox, req, dir, 900);
            if (!Files.exists(file)) {
                throw new IllegalStateException("the training run did not write " + file + "; see " + dir.resolve("picket.log"));
            }
        }
        return flags;
    }

    static ObjectNode request(Ctx ctx, String mode, List<String> flags, Path dir) {
        ObjectNode req = Bench.JSON.createObjectNode();
        req.put("mode", mode);
        req.put("java", ctx.java().toString());
        req.putPOJO("main", List.of("-jar", ctx.app().resolve("quarkus-run.jar").toString()));
        req.putPOJO("flags", flags);
        req.put("log", dir.resolve("picket.log").toString());
        ObjectNode props = req.putObject("props");
        props.put("picket.state.dir", dir.resolve("state").toString());
        return req;
    }

    static JsonNode runMain(Ctx ctx, BenchSandbox sandbox, ObjectNode req, Path dir, long timeoutSeconds) throws Exception {
        Path reqFile = dir.resolve("request.json");
        Path resFile = dir.resolve("result.json");
        Files.writeString(reqFile, Bench.JSON.writeValueAsString(req));
        // the measuring JVM: small, and not the sidecar's flags, which are what it measures
        sandbox.run(ctx.javaMain(List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1"),
                SidecarBenchMain.class.getName(), reqFile.toString(), resFile.toString()), dir.resolve("main.log"),
                timeoutSeconds);
        return Bench.JSON.readTree(resFile.toFile());
    }

    static ObjectNode summarizeIdle(ObjectNode r) {
        ObjectNode s = Bench.JSON.createObjectNode();
        if (r.has("name")) {
            s.put("name", r.get("name").asText());
            s.put("why", r.get("why").asText());
        }
        s.set("flags", r.get("flags"));
        if (r.has("program")) {
            s.put("program", r.get("program").asText());
        }
        s.set("startupMs", Bench.Summary.of(Bench.doubles(r.get("startupMs"))).json());
        s.set("cpuShare", Bench.Summary.of(Bench.doubles(r.get("cpuShareWindows"))).json());
        s.put("cpuShareTotal", Bench.round(r.get("cpuShareTotal").asDouble()));
        s.put("cpuShareTicks", Bench.round(r.get("cpuShareTicks").asDouble()));
        s.set("rssMiB", mib(r.get("rssKiB")));
        s.set("pssMiB", mib(r.get("pssKiB")));
        s.set("pssAnonMiB", mib(r.get("pssAnonKiB")));
        s.set("pssFileMiB", mib(r.get("pssFileKiB")));
        s.put("threads", r.get("threads").asInt());
        s.put("warmupSeconds", r.get("warmupSeconds").asInt());
        s.put("measureSeconds", r.get("measureSeconds").asInt());
        return s;
    }

    private static ObjectNode mib(JsonNode kib) {
        return Bench.Summary.of(Bench.doubles(kib).stream().map(v -> v / 1024.0).toList()).json();
    }

    /** Monitor mode: the workload's programs are allowed, no egress is, the helper's ports may listen. */
    static String profile(int trials) throws IOException {
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: picket.dev/v1alpha1\nkind: WorkloadProfile\nmetadata:\n  name: latency-bench\nspec:\n")
                .append("  mode: monitor\n  processes:\n    allowRoot: true\n    allow:\n");
        for (Path exe : List.of(Path.of("/bin/sh"), Path.of("/bin/sleep"), python())) {
            y.append("      - exe: ").append(exe.toRealPath()).append('\n');
        }
        y.append("  network:\n    listen:\n");
        for (int port : new int[] {8000, 8443, 9090}) {
            y.append("      - port: ").append(port).append('\n');
        }
        for (int i = 0; i < trials; i++) {
            y.append("      - port: ").append(FIRST_PORT + i).append('\n');
        }
        return y.toString();
    }

    /** The interpreter python3 runs (a shim on the PATH is not the executable the process shows). */
    static Path python() throws IOException {
        Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
        String exe = new String(p.getInputStream().readAllBytes()).trim();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Path.of(exe);
    }

    static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        return dir;
    }
}
