package dev.picket.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.picket.testing.Children;
import dev.picket.testing.Sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A pod-like sandbox (own PID, mount and network namespaces) running {@link PodJudgeMain} as the sidecar
 * next to a workload, the way Picket runs with {@code shareProcessNamespace: true}: it watches every
 * process of the namespace but itself and its ancestor (pid 1, the pause process), and counts forks with
 * the namespace's last-pid counter. /run is an empty tmpfs so the host's runtime sockets stay out.
 */
final class Pod implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sandbox sandbox;
    private final Path dir;
    private final Children entered = new Children();

    private Pod(Sandbox sandbox, Path dir) {
        this.sandbox = sandbox;
        this.dir = dir;
    }

    /**
     * Starts the sandbox with {@code addresses} on its loopback, the judge scanning every {@code intervalMillis}
     * under {@code profileYaml} with {@code resolvers}, then {@code workload} (a shell script run by pid 1
     * once the judge has scanned once).
     */
    static Pod start(String profileYaml, List<String> addresses, List<String> resolvers, long intervalMillis,
            String workload) {
        Tools.requireTools("unshare", "nsenter", "ip");
        try {
            Path dir = Files.createTempDirectory("picket-pod");
            Files.writeString(dir.resolve("profile.yaml"), profileYaml);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            StringBuilder script = new StringBuilder("mount -t tmpfs picket-run /run\n");
            for (String a : addresses) {
                script.append("ip addr add ").append(a).append(a.contains(":") ? "/128 dev lo nodad\n" : "/32 dev lo\n");
            }
            script.append("'").append(java).append("' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -cp '")
                    .append(System.getProperty("java.class.path")).append("' ").append(PodJudgeMain.class.getName())
                    .append(" ").append(dir).append(" ").append(intervalMillis).append(" ")
                    .append(resolvers.isEmpty() ? "-" : String.join(",", resolvers))
                    .append(" >").append(dir.resolve("judge.log")).append(" 2>&1 &\n")
                    .append("while [ ! -f ").append(dir.resolve("ready")).append(" ]; do sleep 0.05; done\n")
                    .append(workload).append("\nwait\n");
            Pod pod = new Pod(Sandbox.start(true, script.toString()), dir);
            try {
                Tools.await(Duration.ofSeconds(30), "the pod's judge scanned once",
                        () -> Files.exists(dir.resolve("ready")) || !pod.log().isEmpty() && pod.log().contains("Exception"));
                if (!Files.exists(dir.resolve("ready"))) {
                    throw new AssertionError("the pod's judge failed:\n" + pod.log());
                }
            } catch (RuntimeException | AssertionError e) {
                // a sandbox left behind keeps the test JVM's output open and hangs the build
                pod.close();
                throw e;
            }
            return pod;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Starts {@code command} inside the pod from outside, as the kubelet runs an exec probe: its parent is outside. */
    Process enter(String... command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(sandbox.initHostPid()), "-p", "-m",
                "-n", "--"));
        cmd.addAll(List.of(command));
        return entered.start(cmd.toArray(String[]::new));
    }

    JsonNode state() {
        try {
            return JSON.readTree(dir.resolve("state.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long seq() {
        return state().get("seq").asLong();
    }

    /** Waits until the judge has scanned {@code n} more times. */
    void awaitScans(int n) {
        long target = seq() + n;
        Tools.await(Duration.ofSeconds(30), n + " more scans", () -> seq() >= target);
    }

    /** Waits until a scan satisfies {@code condition}. */
    JsonNode awaitState(Duration timeout, String what, Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        Tools.await(timeout, what, () -> condition.test(last[0] = state()));
        return last[0];
    }

    /** Processes of the last scan whose argv contains {@code marker}. */
    static List<JsonNode> processes(JsonNode state, String marker) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : state.get("processes")) {
            for (JsonNode a : p.get("argv")) {
                if (a.asText().equals(marker)) {
                    out.add(p);
                    break;
                }
            }
        }
        return out;
    }

    List<JsonNode> findings() {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("findings.jsonl"))) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<JsonNode> findings(String rule) {
        return findings().stream().filter(f -> f.get("rule").asText().equals(rule)).toList();
    }

    List<JsonNode> awaitFindings(Duration timeout, String what, Predicate<List<JsonNode>> condition) {
        @SuppressWarnings("unchecked")
        List<JsonNode>[] last = new List[1];
        try {
            Tools.await(timeout, what, () -> condition.test(last[0] = findings()));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nfindings: " + last[0] + "\nstate: " + state(), e);
        }
        return last[0];
    }

    /** Installs a new profile and waits until the judge uses it. */
    void profile(String yaml) {
        long next = state().get("generation").asLong() + 1;
        try {
            Path tmp = dir.resolve("profile.yaml.tmp");
            Files.writeString(tmp, yaml);
            Files.move(tmp, dir.resolve("profile.yaml"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitState(Duration.ofSeconds(10), "profile generation " + next + " in use" + error(),
                s -> s.get("generation").asLong() == next);
    }

    /** The learned profile as GET /v1/profile/learned would return it. */
    String learned() {
        try {
            Files.deleteIfExists(dir.resolve("learned.yaml"));
            Files.writeString(dir.resolve("render"), "");
            Tools.await(Duration.ofSeconds(10), "the learned profile rendered", () -> Files.exists(dir.resolve("learned.yaml")));
            return Files.readString(dir.resolve("learned.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String error() {
        try {
            Path e = dir.resolve("profile-error");
            return Files.exists(e) ? ": " + Files.readString(e) : "";
        } catch (IOException e) {
            return "";
        }
    }

    String log() {
        try {
            Path log = dir.resolve("judge.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            Files.writeString(dir.resolve("stop"), "");
        } catch (IOException ignored) {
            // the sandbox is killed below anyway
        }
        entered.close();
        sandbox.close();
        Tools.deleteTree(dir);
    }
}
