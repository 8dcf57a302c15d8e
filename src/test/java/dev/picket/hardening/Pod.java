package dev.picket.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.picket.testing.Host;
import dev.picket.testing.PicketProcess;
import dev.picket.testing.Sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pod as the injector makes it, from real processes: a PID namespace whose pid 1 starts the packaged sidecar as
 * UID/GID 65532 (with the injector's ambient capabilities, {@code CAP_KILL} and {@code CAP_SYS_PTRACE}, or others,
 * or none) and a neighbour container: a
 * shell running as UID 1000 without capabilities that executes whatever the test writes into its FIFO. The sidecar's
 * state directory is owned by 65532 with mode 0700, as on its emptyDir. Ports are chosen free on the host's loopback.
 */
final class Pod implements AutoCloseable {

    static final int PICKET_UID = 65532;
    static final int NEIGHBOUR_UID = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Path dir;
    final Path state;
    final Path shared;
    final Path log;
    final int controlPort;
    final int managementPort;
    private final Sandbox sandbox;
    private final long picketHostPid;

    private Pod(Path dir, Path state, Path shared, Path log, int controlPort, int managementPort, Sandbox sandbox,
            long picketHostPid) {
        this.dir = dir;
        this.state = state;
        this.shared = shared;
        this.log = log;
        this.controlPort = controlPort;
        this.managementPort = managementPort;
        this.sandbox = sandbox;
        this.picketHostPid = picketHostPid;
    }

    /** The capabilities the injector gives the sidecar in its default (separate UID) mode, as setpriv names them. */
    static final String INJECTOR_CAPABILITIES = "kill,sys_ptrace";

    /**
     * @param capabilities with the injector's ambient capabilities ({@link #INJECTOR_CAPABILITIES}), or none
     * @param props        system properties for the sidecar; one starting with {@code +} adds that capability, one
     *                     starting with {@code -X} is a JVM option
     */
    static Pod start(boolean capabilities, String interval, String... props) throws Exception {
        return start(capabilities ? INJECTOR_CAPABILITIES : "", interval, props);
    }

    /**
     * @param capabilities the sidecar's ambient capabilities, comma-separated as setpriv names them ("" for none)
     * @param props        system properties for the sidecar; one starting with {@code +} adds that capability, one
     *                     starting with {@code -X} is a JVM option
     */
    static Pod start(String capabilities, String interval, String... props) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("picket.it.jar") != null,
                "needs the packaged sidecar: an *IT class, run by failsafe after package");
        Host.requireRoot();
        Host.requireCommand("setpriv");
        Host.requireCommand("python3");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pk-pod");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path state = Files.createDirectory(dir.resolve("state"));
        Path tmp = Files.createDirectory(dir.resolve("picket-tmp"));
        Path shared = Files.createDirectory(dir.resolve("neighbour"));
        for (String script : List.of("tamper.py", "flood.py", "load.py")) {
            try (InputStream in = Pod.class.getResourceAsStream("/hardening/" + script)) {
                Files.write(shared.resolve(script), in.readAllBytes());
            }
        }
        chown(state, PICKET_UID, "rwx------");
        chown(tmp, PICKET_UID, "rwx------");
        chown(shared, NEIGHBOUR_UID, "rwxr-xr-x");
        Path log = dir.resolve("picket.log");
        int control = freePort();
        int management = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder args = new StringBuilder();
        for (String p : List.of("picket.state.dir=" + state, "quarkus.http.port=" + control,
                "quarkus.management.port=" + management, "picket.scan.interval=" + interval, "java.io.tmpdir=" + tmp)) {
            args.append(" '-D").append(p).append('\'');
        }
        StringBuilder extra = new StringBuilder();
        for (String p : props) {
            if (p.startsWith("+")) {
                extra.append(",").append(p);
            } else if (p.startsWith("-X")) {
                args.append(" '").append(p).append('\'');
            } else {
                args.append(" '-D").append(p).append('\'');
            }
        }
        StringBuilder set = new StringBuilder();
        for (String c : capabilities.split(",")) {
            if (!c.isBlank()) {
                set.append(set.isEmpty() ? "" : ",").append('+').append(c.strip());
            }
        }
        set.append(set.isEmpty() && !extra.isEmpty() ? extra.substring(1) : extra);
        String caps = set.isEmpty() ? "" : " --inh-caps=" + set + " --ambient-caps=" + set;
        Path fifo = shared.resolve("commands");
        String script = String.join("\n",
                "mkfifo " + fifo + " && chown " + NEIGHBOUR_UID + " " + fifo,
                "setpriv --reuid=" + NEIGHBOUR_UID + " --regid=" + NEIGHBOUR_UID + " --clear-groups sh -c 'cd "
                        + shared + "; exec 3<>" + fifo + "; while read -r line <&3; do sh -c \"$line\" & done' &",
                "cd " + dir + " && setpriv --reuid=" + PICKET_UID + " --regid=" + PICKET_UID + " --clear-groups" + caps
                        + " " + java + args + " -jar " + PicketProcess.jar() + " > " + log + " 2>&1 &",
                "wait");
        Sandbox sandbox = Sandbox.start(false, script);
        long picket = awaitPicket(sandbox, Duration.ofSeconds(10));
        Pod pod = new Pod(dir, state, shared, log, control, management, sandbox, picket);
        pod.awaitStarted(Duration.ofSeconds(60));
        return pod;
    }

    private static void chown(Path p, int uid, String mode) throws IOException, InterruptedException {
        new ProcessBuilder("chown", uid + ":" + uid, p.toString()).inheritIO().start().waitFor();
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long awaitPicket(Sandbox sandbox, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> java = ProcessHandle.of(sandbox.initHostPid()).stream()
                    .flatMap(ProcessHandle::descendants).filter(h -> cmdline(h.pid()).contains("quarkus-run.jar"))
                    .filter(h -> cmdline(h.pid()).startsWith(Path.of(System.getProperty("java.home"), "bin", "java").toString()))
                    .findFirst();
            if (java.isPresent()) {
                return java.get().pid();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the sidecar did not start in the pod");
    }

    static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    long picketHostPid() {
        return picketHostPid;
    }

    /** The sidecar's pid inside the pod's PID namespace (what the neighbour sees). */
    int picketPodPid() throws IOException {
        String nspid = Files.readAllLines(Path.of("/proc", Long.toString(picketHostPid), "status")).stream()
                .filter(l -> l.startsWith("NSpid:")).findFirst().orElseThrow();
        String[] f = nspid.trim().split("\\s+");
        return Integer.parseInt(f[f.length - 1]);
    }

    Path procRoot() {
        return sandbox.procRoot();
    }

    /** Runs a shell command line as the neighbour (UID 1000, no capabilities), in the background, in its directory. */
    void neighbour(String command) throws IOException {
        Files.writeString(shared.resolve("commands"), command + "\n", StandardOpenOption.APPEND);
    }

    /** Waits for a file the neighbour writes to hold a complete line. */
    String awaitOutput(String name, Duration timeout) throws Exception {
        Path file = shared.resolve(name);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String s = Files.readString(file);
                if (s.endsWith("\n")) {
                    return s.trim();
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the neighbour wrote no " + name + "; sidecar log:\n" + tail());
    }

    void awaitStarted(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!ProcessHandle.of(picketHostPid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IllegalStateException("the sidecar exited:\n" + tail());
            }
            if (probe("/q/health/started", Duration.ofSeconds(2)) == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the sidecar did not start:\n" + tail());
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** A probe as the kubelet makes it: the status, or -1 when refused, -2 when no answer came within the timeout. */
    int probe(String path, Duration timeout) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).timeout(timeout)
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.net.http.HttpTimeoutException e) {
            return -2;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    JsonNode control(String path) throws Exception {
        String token = Files.readString(state.resolve("control-token")).trim();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + r.body() + "\nsidecar log:\n" + tail());
        }
        return JSON.readTree(r.body());
    }

    String management(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    List<JsonNode> violations() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        control("/v1/violations?limit=1000").forEach(out::add);
        return out;
    }

    void signal(String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(picketHostPid)).inheritIO().start().waitFor();
    }

    @Override
    public void close() throws Exception {
        // SIGKILL ends a stopped process too
        ProcessHandle.of(picketHostPid).ifPresent(ProcessHandle::destroyForcibly);
        sandbox.close();
        BuildDir.delete(dir);
    }
}
