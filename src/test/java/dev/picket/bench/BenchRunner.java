package dev.picket.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The benchmark's orchestrator, started by {@code bench/run.sh} on the host as root. Runs the sections,
 * then writes {@code docs/benchmarks.json} (every figure, with the machine and the load) and the generated
 * part of {@code docs/benchmarks.md}. A run of some sections keeps the other sections' last results.
 *
 * <p>Options: {@code --quick}, {@code --sections scan,idle,flags,latency,injector}, {@code --configs 1000x10000,...},
 * {@code --repo DIR}, {@code --work DIR}, {@code --app DIR} (the sidecar's quarkus-app), {@code --injector-app DIR},
 * {@code --floor-app DIR}, {@code --baseline-classes DIR} and {@code --baseline-label REV} (an earlier revision's
 * main classes, whose scans are measured in turn with the current ones: the before and after), {@code --native FILE}
 * (a native build of the sidecar, measured in the idle section next to the JVM),
 * {@code --wait-quiet LOAD}, {@code --wait-max SECONDS}, {@code --jfr DIR} (a flight recording of every scan run,
 * with allocation and native-method samples, for profiling).
 */
public final class BenchRunner {

    static final List<String> ALL = List.of("scan", "idle", "flags", "latency", "injector");

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Set<String> sections = new LinkedHashSet<>(ALL);
        List<ScanSection.Config> configs = null;
        Path repo = Path.of("").toAbsolutePath();
        Path work = Path.of("/tmp/pk-bench/run");
        Path app = Path.of("/tmp/pk-bench/quarkus-app");
        Path injectorApp = Path.of("/tmp/pk-bench/injector/target/quarkus-app");
        Path floorApp = Path.of("/tmp/pk-bench/floor-app/quarkus-app");
        Path baseline = null;
        String baselineLabel = "baseline";
        Path nativeExecutable = null;
        double waitQuiet = -1;
        int waitMax = 900;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--sections" -> {
                    sections = new LinkedHashSet<>(List.of(args[++i].split(",")));
                    for (String s : sections) {
                        if (!ALL.contains(s)) {
                            throw new IllegalArgumentException("unknown section " + s + "; known: " + ALL);
                        }
                    }
                }
                case "--configs" -> {
                    configs = new ArrayList<>();
                    for (String c : args[++i].split(",")) {
                        configs.add(ScanSection.Config.parse(c));
                    }
                }
                case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath();
                case "--work" -> work = Path.of(args[++i]).toAbsolutePath();
                case "--app" -> app = Path.of(args[++i]).toAbsolutePath();
                case "--injector-app" -> injectorApp = Path.of(args[++i]).toAbsolutePath();
                case "--floor-app" -> floorApp = Path.of(args[++i]).toAbsolutePath();
                case "--baseline-classes" -> baseline = Path.of(args[++i]).toAbsolutePath();
                case "--baseline-label" -> baselineLabel = args[++i];
                case "--native" -> nativeExecutable = Path.of(args[++i]).toAbsolutePath();
                case "--wait-quiet" -> waitQuiet = Double.parseDouble(args[++i]);
                case "--wait-max" -> waitMax = Integer.parseInt(args[++i]);
                case "--jfr" -> System.setProperty(ScanSection.JFR_PROPERTY, Path.of(args[++i]).toAbsolutePath().toString());
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (configs == null) {
            configs = ScanSection.defaults(quick);
        }
        Files.createDirectories(work.resolve("logs"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> imageFlags = JvmFlags.fromDockerfile(repo.resolve("src/main/docker/Dockerfile.jvm"), app);
        Ctx ctx = new Ctx(repo, work, java, System.getProperty("java.class.path"), app, floorApp, imageFlags, quick,
                baseline, baselineLabel, nativeExecutable);
        Path jsonFile = repo.resolve("docs/benchmarks.json");
        ObjectNode all = Files.exists(jsonFile) ? (ObjectNode) Bench.JSON.readTree(jsonFile.toFile())
                : Bench.JSON.createObjectNode();

        try (Load load = new Load()) {
            boolean quiet = true;
            if (waitQuiet > 0) {
                quiet = load.waitQuiet(waitQuiet, waitMax);
            }
            ObjectNode before = load.measureBefore(5);
            System.out.printf("machine before the run: load %s, CPU busy %.0f %%%n", before.get("load1"),
                    before.get("cpuBusyShare").asDouble() * 100);
            ObjectNode run = Bench.JSON.createObjectNode();
            run.put("started", Instant.now().toString());
            run.put("quick", quick);
            run.set("machine", Machine.describe(java));
            run.putPOJO("imageFlags", imageFlags);
            run.putPOJO("podEmulationFlags", JvmFlags.POD_EMULATION);
            if (waitQuiet > 0) {
                run.put("waitedForLoadBelow", waitQuiet);
                run.put("quietWindowReached", quiet);
            }
            for (String section : sections) {
                load.section(section);
                System.out.printf("== %s%n", section);
                JsonNode result = switch (section) {
                    case "scan" -> ScanSection.run(ctx, configs, load);
                    case "idle" -> SidecarSection.idle(ctx);
                    case "flags" -> SidecarSection.flags(ctx);
                    case "latency" -> SidecarSection.latency(ctx);
                    case "injector" -> InjectorSection.run(ctx, injectorApp);
                    default -> throw new IllegalStateException(section);
                };
                ObjectNode wrapped = Bench.JSON.createObjectNode();
                wrapped.put("measured", Instant.now().toString());
                wrapped.put("quick", quick);
                wrapped.set("machine", run.get("machine"));
                wrapped.set("loadBefore", before);
                wrapped.set("result", result);
                all.set(section, wrapped);
                ObjectNode loadNow = load.json();
                wrapped.set("loadDuring", loadNow.get("during").get(section));
                all.set("lastRun", run);
                Files.writeString(jsonFile, Bench.JSON.writeValueAsString(all) + "\n");
                Report.write(repo.resolve("docs/benchmarks.md"), all);
            }
            run.put("finished", Instant.now().toString());
            run.set("load", load.json());
            all.set("lastRun", run);
            Files.writeString(jsonFile, Bench.JSON.writeValueAsString(all) + "\n");
            Report.write(repo.resolve("docs/benchmarks.md"), all);
        }
        System.out.println("wrote " + jsonFile + " and " + repo.resolve("docs/benchmarks.md"));
    }
}
