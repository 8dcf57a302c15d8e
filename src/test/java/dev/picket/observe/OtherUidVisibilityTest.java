package dev.picket.observe;

import dev.picket.testing.Children;
import dev.picket.testing.Host;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default deployment's visibility, with real processes: the scanner runs as UID 65532 with only CAP_KILL and
 * CAP_SYS_PTRACE (what the injector gives the sidecar), and the application as UID 1000 without capabilities.
 * /proc/PID/fd (0500) and /proc/PID/environ (0400) of the application are then closed to the scanner, since the
 * kernel checks their modes before ptrace access; it must see the same through /proc/PID/fdinfo and
 * process_vm_readv. The application is a reverse shell's shape: a TCP connection on its stdin and stdout, with
 * LD_PRELOAD in its environment. Without capabilities, its fds and environment are reported as unreadable.
 */
class OtherUidVisibilityTest {

    private static final int APP_UID = 1000;
    private static final int PICKET_UID = 65532;
    private static final String PYTHON = "/usr/bin/python3";

    private static Children children;
    private static ServerSocket listener;
    private static Socket accepted;
    private static long pid;
    private static long socketInode;
    private static int openFds;
    private static Path classes;

    @BeforeAll
    static void startTheApplication() throws Exception {
        Host.requireRoot();
        Host.requireCommand("setpriv");
        Host.requireCommand("python3");
        children = new Children();
        listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        listener.setSoTimeout(20_000);
        String script = String.join("\n",
                "import os, socket, sys, time",
                "s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))",
                "os.dup2(s.fileno(), 0)",
                "os.dup2(s.fileno(), 1)",
                "s.close()",
                "f = open('/etc/hostname')",
                "os.write(1, b'ready')",
                "time.sleep(300)");
        ProcessBuilder app = new ProcessBuilder("setpriv", "--reuid=" + APP_UID, "--regid=" + APP_UID,
                "--clear-groups", "--inh-caps=-all", PYTHON, "-c", script, Integer.toString(listener.getLocalPort()));
        app.environment().put("LD_PRELOAD", "/nonexistent.so"); // the loader only warns
        pid = children.start(app).pid();
        accepted = listener.accept();
        accepted.setSoTimeout(20_000);
        byte[] ready = accepted.getInputStream().readNBytes(5);
        assertThat(new String(ready, StandardCharsets.US_ASCII)).as("the application's handshake").isEqualTo("ready");
        // as root: what the scanner should find
        Path fd = Path.of("/proc", Long.toString(pid), "fd");
        socketInode = ProcScanner.socketInode(Files.readSymbolicLink(fd.resolve("0")).toString());
        assertThat(socketInode).as("fd 0 of the application is a socket").isPositive();
        assertThat(ProcScanner.socketInode(Files.readSymbolicLink(fd.resolve("1")).toString())).isEqualTo(socketInode);
        try (var names = Files.list(fd)) {
            openFds = (int) names.count();
        }
        classes = scannerClasses();
    }

    @AfterAll
    static void stop() throws IOException {
        if (children != null) {
            children.close();
        }
        if (accepted != null) {
            accepted.close();
        }
        if (listener != null) {
            listener.close();
        }
        if (classes != null) {
            try (var files = Files.walk(classes)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void withKillAndSysPtraceOnlyTheScannerSeesTheFdsAndEnvironmentOfAnotherUid() throws Exception {
        assertThat(Files.getAttribute(Path.of("/proc", Long.toString(pid)), "unix:uid")).isEqualTo(APP_UID);
        Map<String, String> seen = scanAs("+kill,+sys_ptrace");

        assertThat(seen.get("uid")).isEqualTo(Integer.toString(APP_UID));
        assertThat(seen.get("capabilities")).contains("CAP_SYS_PTRACE").contains("CAP_KILL")
                .doesNotContain("CAP_DAC_READ_SEARCH");
        // /proc/PID/io is 0400 of the owner too, and has no ptrace-only counterpart: it alone stays unread
        assertThat(seen.get("unavailable")).as("only the I/O counters of the application are missing")
                .isEqualTo("{io=permission}");
        assertThat(seen.get("stdio")).isEqualTo("0:" + socketInode + ",1:" + socketInode);
        assertThat(seen.get("env")).contains("LD_PRELOAD");
        assertThat(seen.get("openFds")).isEqualTo(Integer.toString(openFds));
        assertThat(seen.get("owners").split(",")).as("the socket's owner is the application")
                .contains(socketInode + ":" + pid);
        assertThat(seen.get("notes")).isEqualTo("[]");
    }

    @Test
    void withoutCapabilitiesTheFdsAndEnvironmentOfAnotherUidAreReportedMissing() throws Exception {
        Map<String, String> seen = scanAs("");

        assertThat(seen.get("capabilities")).doesNotContain("CAP_SYS_PTRACE");
        assertThat(seen.get("unavailable")).contains("environ=permission").contains("fds=permission")
                .contains("exe=permission");
        assertThat(seen.get("stdio")).isEmpty();
        assertThat(seen.get("env")).isEqualTo("[]");
        assertThat(seen.get("notes")).contains("the fds of 1 process(es) of another user are unreadable without CAP_SYS_PTRACE")
                .contains("the environment of 1 process(es) is unreadable without CAP_SYS_PTRACE");
    }

    /** Runs {@link OtherUidScanMain} as UID 65532 with these ambient capabilities ("" for none). */
    private static Map<String, String> scanAs(String capabilities) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + PICKET_UID, "--regid=" + PICKET_UID,
                "--clear-groups"));
        command.add("--inh-caps=" + (capabilities.isEmpty() ? "-all" : capabilities));
        if (!capabilities.isEmpty()) {
            command.add("--ambient-caps=" + capabilities);
        }
        command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xshare:off", "-cp", classes.toString(),
                OtherUidScanMain.class.getName(), Long.toString(pid)));
        Process scan = new ProcessBuilder(command).directory(classes.toFile()).redirectErrorStream(true).start();
        String out = new String(scan.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(scan.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(scan.exitValue()).as("the scan as UID %d: %s", PICKET_UID, out).isZero();
        Map<String, String> seen = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                seen.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertThat(seen).as("the scan's output: %s", out).containsKeys("uid", "unavailable", "notes");
        return seen;
    }

    /**
     * The scanner's classes, copied where UID 65532 can read them: the build's class directories may lie under a
     * directory it cannot enter. Only the observe package is needed.
     */
    private static Path scannerClasses() throws IOException {
        Path dir = Files.createTempDirectory("picket-other-uid");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String pkg = "dev/picket/observe";
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry).resolve(pkg);
            if (!Files.isDirectory(source)) {
                continue;
            }
            try (var files = Files.walk(source)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path target = dir.resolve(pkg).resolve(source.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        try (var files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return dir;
    }
}
