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
    private static String python;

    private static Children children;
    private static ServerSocket listener;
    private static Socket accepted;
    private static long pid;
    private static long socketInode;
    private static int openFds;
    private static Path classes;
    private static Children emptyEnvChildren;
    private static long emptyEnvPid;

    @BeforeAll
    static void startTheApplication() throws Exception {
        Host.requireRoot();
        Host.requireCommand("setpriv");
        python = pythonForOtherUids();
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
                "--clear-groups", "--inh-caps=-all", python, "-c", script, Integer.toString(listener.getLocalPort()));
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

    /**
     * A python3 that UID 1000 can execute: the first on PATH, then the usual places, whose real file and every
     * directory above it (and above the name used) others may enter and execute. PATH's may be a shim under /root.
     */
    private static String pythonForOtherUids() {
        List<String> tried = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "python3").toString());
            }
        }
        candidates.addAll(List.of("/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"));
        for (String c : candidates) {
            Path named = Path.of(c);
            try {
                Path real = named.toRealPath();
                if (othersMayExecute(real) && othersMayEnterAbove(real) && othersMayEnterAbove(named.toAbsolutePath())) {
                    return named.toString();
                }
                tried.add(c + " (" + real + ": not executable by others)");
            } catch (IOException e) {
                tried.add(c + " (" + e + ")");
            }
        }
        throw new AssertionError("no python3 that UID " + APP_UID + " can execute; tried " + tried);
    }

    private static boolean othersMayExecute(Path f) throws IOException {
        return Files.isRegularFile(f) && Files.getPosixFilePermissions(f)
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
    }

    private static boolean othersMayEnterAbove(Path f) throws IOException {
        for (Path d = f.getParent(); d != null; d = d.getParent()) {
            if (!Files.getPosixFilePermissions(d).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    @AfterAll
    static void stop() throws IOException {
        if (children != null) {
            children.close();
        }
        if (emptyEnvChildren != null) {
            emptyEnvChildren.close();
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
        // after the first denial the scanner goes to fdinfo directly; the fd count came from a stat of the
        // directory it cannot list (its size is the count since Linux 6.2)
        assertThat(seen.get("fdDirDenied")).isEqualTo("true");
        assertThat(seen.get("fdDirSize")).as("stat of an unreadable /proc/PID/fd").isEqualTo(Integer.toString(openFds));
    }

    @Test
    void anEmptyEnvironmentOfAnotherUidIsReadAsEmptyNotAsMissing() throws Exception {
        String sleep = Path.of("/usr/bin/sleep").toRealPath().toString();
        emptyEnvChildren = new Children();
        long p = emptyEnvChildren.start(new ProcessBuilder("setpriv", "--reuid=" + APP_UID, "--regid=" + APP_UID,
                "--clear-groups", "--inh-caps=-all", "/usr/bin/env", "-i", sleep, "300")).pid();
        Path proc = Path.of("/proc", Long.toString(p));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readSymbolicLink(proc.resolve("exe")).toString().equals(sleep)) {
            assertThat(System.nanoTime()).as("sleep started").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(Files.readAllBytes(proc.resolve("environ"))).as("env -i leaves nothing").isEmpty();
        byte[] statBytes = Files.readAllBytes(proc.resolve("stat"));
        StatFields stat = StatParser.parse(statBytes, statBytes.length);
        assertThat(stat.envStart()).isPositive().isEqualTo(stat.envEnd());

        Map<String, String> seen = scanAs("+kill,+sys_ptrace", p);

        assertThat(seen.get("env")).isEqualTo("[]");
        assertThat(seen.get("unavailable")).isEqualTo("{io=permission}");
        assertThat(seen.get("notes")).isEqualTo("[]");
    }

    /**
     * A proc root that is not the real /proc (here a fixture tree; in production a host procfs of another PID
     * namespace) names pids process_vm_readv does not: the environment is then not read from memory, even though the
     * fixture's stat holds the addresses of a real process of that pid. And an fdinfo entry denied after the
     * listing leaves the fds missing, not counted from the entries that could be read.
     */
    @Test
    void aProcRootOtherThanTheRealProcIsNotReadThroughProcessMemoryAndAPartlyDeniedFdinfoIsMissing() throws Exception {
        Path real = Path.of("/proc", Long.toString(pid));
        byte[] info = Files.readAllBytes(real.resolve("fdinfo").resolve("0"));
        long sockfs = ProcScanner.fdinfoField(info, info.length, new byte[] {'m', 'n', 't', '_', 'i', 'd', ':'});
        assertThat(sockfs).isPositive();
        Path fixture = Files.createTempDirectory("picket-fixture-proc");
        try {
            Files.setPosixFilePermissions(fixture, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path dir = Files.createDirectory(fixture.resolve(Long.toString(pid)));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
            // the stat of the real process, with its env_start and env_end (root sees them)
            Files.write(dir.resolve("stat"), Files.readAllBytes(real.resolve("stat")));
            ownedByTheApplication(Files.write(dir.resolve("environ"), "LD_AUDIT=/x.so\0".getBytes(StandardCharsets.US_ASCII)), "r--------");
            ownedByTheApplication(Files.createDirectory(dir.resolve("fd")), "r-x------");
            Path fdinfo = Files.createDirectory(dir.resolve("fdinfo"));
            String socket = "pos:\t0\nflags:\t02\nmnt_id:\t" + sockfs + "\nino:\t" + socketInode + "\n";
            Files.writeString(fdinfo.resolve("0"), socket);
            Files.writeString(fdinfo.resolve("1"), socket);
            ownedByTheApplication(Files.writeString(fdinfo.resolve("2"), socket), "r--------");
            for (Path f : List.of(dir.resolve("stat"), fdinfo.resolve("0"), fdinfo.resolve("1"))) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r--r--"));
            }
            Files.setPosixFilePermissions(fdinfo, PosixFilePermissions.fromString("r-xr-xr-x"));

            Map<String, String> seen = scanAs("+kill,+sys_ptrace", pid, fixture.toString());

            assertThat(seen.get("env")).as("not the real process's LD_PRELOAD").isEqualTo("[]");
            assertThat(seen.get("unavailable")).contains("environ=permission").contains("fds=permission");
            assertThat(seen.get("notes")).contains("read only through the real /proc");
        } finally {
            try (var files = Files.walk(fixture)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void ownedByTheApplication(Path f, String mode) throws IOException {
        Files.setAttribute(f, "unix:uid", APP_UID);
        Files.setAttribute(f, "unix:gid", APP_UID);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    }

    /**
     * process_vm_readv's EPERM for real: UID 65532 without CAP_SYS_PTRACE reading an address that is mapped in the
     * application (its environment block, as root reads from stat) is DENIED; with the capability it is READ.
     */
    @Test
    void processMemoryOfAnotherUidIsDeniedWithoutSysPtrace() throws Exception {
        byte[] statBytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat"));
        long address = StatParser.parse(statBytes, statBytes.length).envStart();
        assertThat(address).isPositive();

        assertThat(runAs("", ProcessMemoryReadMain.class, Long.toString(pid), Long.toString(address)).get("outcome"))
                .isEqualTo("DENIED");
        Map<String, String> allowed = runAs("+sys_ptrace", ProcessMemoryReadMain.class, Long.toString(pid),
                Long.toString(address));
        assertThat(allowed.get("outcome")).isEqualTo("READ");
        assertThat(allowed.get("count")).isEqualTo("16");
    }

    /**
     * A scanner in a user namespace of its own holds CAP_SYS_PTRACE there, but not over the application's: the
     * kernel denies ptrace access all the same, and the notes must not blame a missing capability.
     */
    @Test
    void withSysPtraceButNoPtraceAccessTheNotesSaySo() throws Exception {
        Host.requireCommand("unshare");
        List<String> command = new ArrayList<>(List.of("unshare", "--user", "--map-root-user"));
        command.addAll(javaCommand(OtherUidScanMain.class, Long.toString(pid)));
        Map<String, String> seen = run(command);

        assertThat(seen.get("capabilities")).contains("CAP_SYS_PTRACE");
        assertThat(seen.get("unavailable")).contains("environ=permission").contains("fds=permission");
        assertThat(seen.get("notes")).contains("the fds of 1 process(es) of another user are unreadable without ptrace access")
                .contains("the environment of 1 process(es) is unreadable without ptrace access")
                .doesNotContain("fds of 1 process(es) of another user are unreadable without CAP_SYS_PTRACE");
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
        return scanAs(capabilities, pid);
    }

    private static Map<String, String> scanAs(String capabilities, long target, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(Long.toString(target)));
        args.addAll(List.of(more));
        Map<String, String> seen = runAs(capabilities, OtherUidScanMain.class, args.toArray(String[]::new));
        assertThat(seen).containsKeys("uid", "unavailable", "notes");
        return seen;
    }

    /** Runs a main of the observe package as UID 65532 with these ambient capabilities ("" for none). */
    private static Map<String, String> runAs(String capabilities, Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + PICKET_UID, "--regid=" + PICKET_UID,
                "--clear-groups"));
        command.add("--inh-caps=" + (capabilities.isEmpty() ? "-all" : capabilities));
        if (!capabilities.isEmpty()) {
            command.add("--ambient-caps=" + capabilities);
        }
        command.addAll(javaCommand(main, args));
        return run(command);
    }

    private static List<String> javaCommand(Class<?> main, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xshare:off", "-cp",
                classes.toString(), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static Map<String, String> run(List<String> command) throws Exception {
        Process scan = new ProcessBuilder(command).directory(classes.toFile()).redirectErrorStream(true).start();
        String out = new String(scan.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(scan.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(scan.exitValue()).as("%s: %s", command, out).isZero();
        Map<String, String> seen = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                seen.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertThat(seen).as("the output: %s", out).isNotEmpty();
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
