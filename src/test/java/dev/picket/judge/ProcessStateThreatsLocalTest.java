package dev.picket.judge;

import dev.picket.observe.Ids;
import dev.picket.observe.ProcessSample;
import dev.picket.profile.ThreatRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Threats in how processes are set up: raw and packet sockets, namespaces of their own, a tracer, a uid
 * that changes during the process's life. Changes inside a running process that does not exec are seen at
 * its next deep read, at most {@code deep-every} (5) scans later.
 */
class ProcessStateThreatsLocalTest {

    private String sleep;
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        Tools.requireTools("unshare", "setpriv");
        sleep = Tools.real("sleep");
        dir = Files.createTempDirectory(Path.of("/tmp"), "picket-judge-state");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Python that waits for the file {@code trigger} before doing {@code then}. */
    private String after(Path trigger, String then) {
        return String.join("\n",
                "import ctypes, os, time",
                "while not os.path.exists('" + trigger + "'): time.sleep(0.02)",
                then,
                "time.sleep(600)");
    }

    @Test
    void packetAndRawSocketsAreOneViolationEach() {
        String code = String.join("\n",
                "import socket, time",
                "p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))",
                "r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)",
                "time.sleep(600)");
        // in a network namespace of its own, so the packet socket sniffs nothing of the host
        try (Spawner root = Spawner.start("unshare", "--net");
                Watch w = Watch.tree(root.pid(), Profiles.permissive("namespace-change"))) {
            long sniffer = root.spawn(Tools.PYTHON, "-c", code);
            w.until(Duration.ofSeconds(5), "two violations", x -> x.findings().size() == 2);
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.findings()).hasSize(2).allSatisfy(f -> Expect.threat(f, ThreatRule.PACKET_SOCKET, sniffer));
            String python = Tools.python();
            assertThat(w.findings()).extracting(Finding::detail).containsExactlyInAnyOrder(
                    python + " (pid " + sniffer + ") holds a packet socket (RAW), which can read or forge any traffic",
                    python + " (pid " + sniffer + ") holds a raw socket (OPEN), which can read or forge any traffic");
            assertThat(w.findings()).allSatisfy(f -> assertThat(f.remote()).isNull());
        }
    }

    @Test
    void aChildInANetworkMountOrUserNamespaceOfItsOwnIsNamespaceChange() {
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            long net = root.spawnNoWait(null, "unshare", "--net", "sleep", "530");
            long mnt = root.spawnNoWait(null, "unshare", "--mount", "sleep", "531");
            long user = root.spawnNoWait(null, "unshare", "--user", "sleep", "532");
            long uts = root.spawnNoWait(null, "unshare", "--uts", "sleep", "533");
            long[] pids = {net, mnt, user, uts};
            for (int i = 0; i < pids.length; i++) {
                Tools.awaitExec(pids[i], sleep, List.of("sleep", Integer.toString(530 + i)));
            }
            w.until(Duration.ofSeconds(5), "three violations", x -> x.findings().size() == 3);
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.findings()).hasSize(3).allSatisfy(f -> Expect.threat(f, ThreatRule.NAMESPACE_CHANGE));
            assertThat(w.findings()).extracting(Finding::detail).containsExactlyInAnyOrder(
                    sleep + " (pid " + net + ") runs in a network namespace of its own",
                    sleep + " (pid " + mnt + ") runs in a mount namespace of its own",
                    sleep + " (pid " + user + ") runs in a user namespace of its own");
            assertThat(w.process("533").pid()).as("a UTS namespace is not judged").isEqualTo((int) uts);

            // without exec: seen at the process's next deep read
            Path go = dir.resolve("unshare-now");
            long inPlace = root.spawn(Tools.PYTHON, "-c", after(go,
                    "assert ctypes.CDLL(None, use_errno=True).unshare(0x40000000) == 0"));
            w.scanFor(Duration.ofMillis(300));
            assertThat(w.findings()).hasSize(3);
            touch(go);
            w.until(Duration.ofSeconds(5), "the in-place unshare", x -> x.findings().size() == 4);
            Expect.threat(w.findings().get(3), ThreatRule.NAMESPACE_CHANGE, inPlace);
            assertThat(w.findings().get(3).detail()).endsWith("runs in a network namespace of its own");
        }
    }

    @Test
    void theRootOfTheWatchedTreeIsComparedWithPicketsOwnNamespaces() {
        try (Spawner root = Spawner.start("unshare", "--net"); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            Finding f = w.await(ThreatRule.NAMESPACE_CHANGE.id());
            root.spawn("sleep", "534");
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.findings()).as("its child shares its namespaces").containsExactly(f);
            Expect.threat(f, ThreatRule.NAMESPACE_CHANGE, root.pid());
            assertThat(f.detail()).isEqualTo(Tools.python() + " (pid " + root.pid()
                    + ") runs in a network namespace of its own");
        }
    }

    @Test
    void aTracedProcessIsPtraceAttachedNamingItsTracer() {
        String code = String.join("\n",
                "import ctypes, os, time",
                "libc = ctypes.CDLL(None, use_errno=True)",
                "child = os.fork()",
                "if child == 0:",
                "    os.execv('" + sleep + "', ['sleep', '540'])",
                "time.sleep(0.2)",
                "PTRACE_SEIZE = 0x4206",
                "if libc.ptrace(PTRACE_SEIZE, child, None, None) != 0:",
                "    raise OSError(ctypes.get_errno(), 'ptrace')",
                "time.sleep(600)");
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            long tracer = root.spawn(Tools.PYTHON, "-c", code);
            ProcessSample tracee = w.awaitProcess("540", Duration.ofSeconds(5));
            Finding f = w.await(ThreatRule.PTRACE_ATTACHED.id());
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.findings()).containsExactly(f);
            Expect.threat(f, ThreatRule.PTRACE_ATTACHED, tracee.pid());
            assertThat(f.subject().tracerPid()).isEqualTo((int) tracer);
            assertThat(f.detail()).isEqualTo(sleep + " (pid " + tracee.pid() + ") is traced by " + Tools.python()
                    + " (pid " + tracer + ")");
        }
    }

    @Test
    void aRootProcessDroppingToAnotherUidIsNotAThreat() {
        Path go = dir.resolve("drop-now");
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            long pid = root.spawn(Tools.PYTHON, "-c", after(go, "os.setresgid(4321, 4321, 4321); os.setresuid(4321, 4321, 4321)"));
            w.until(Duration.ofSeconds(5), "the process seen as root", x -> x.last().process((int) pid) != null);
            w.scanFor(Duration.ofMillis(300));
            touch(go);
            // dropping root is what gosu, su-exec and nginx workers do: the deep read sees it, nothing is raised
            w.until(Duration.ofSeconds(10), "the drop seen", x -> x.last().process((int) pid) != null
                    && x.last().process((int) pid).uid().equals(new Ids(4321, 4321, 4321, 4321)));
            w.scanFor(Duration.ofMillis(500));
            assertThat(w.of(ThreatRule.PRIVILEGE_CHANGE.id())).isEmpty();
        }
    }

    /** A non-root process that becomes another non-root user (it kept CAP_SETUID) changed identity: a threat. */
    @Test
    void aNonRootProcessTakingAnotherUidIsPrivilegeChange() {
        Path go = dir.resolve("switch-now");
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            String code = after(go, "os.setresuid(4322, 4322, 4322)");
            // setpriv execs python at once: wait for python, not for setpriv
            long pid = root.spawnNoWait(null, "setpriv", "--reuid=4321", "--regid=4321", "--clear-groups",
                    "--inh-caps=+setuid", "--ambient-caps=+setuid", Tools.PYTHON, "-c", code);
            Tools.awaitExec(pid, Tools.python(), List.of(Tools.PYTHON, "-c", code));
            w.until(Duration.ofSeconds(5), "the process seen as 4321", x -> x.last().process((int) pid) != null
                    && x.last().process((int) pid).uid().effective() == 4321);
            touch(go);
            Finding f = w.await(ThreatRule.PRIVILEGE_CHANGE.id());
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.of(ThreatRule.PRIVILEGE_CHANGE.id())).containsExactly(f);
            Expect.threat(f, ThreatRule.PRIVILEGE_CHANGE, pid);
            assertThat(f.detail()).isEqualTo(Tools.python() + " (pid " + pid
                    + ") changed its uid during its life: uids 4321/4321 then 4322/4322 (real/effective)");
        }
    }

    /**
     * The realistic way to turn root: a non-root process execs a set-uid-root program (sudo, su, or a
     * vulnerable helper). The exec keeps the pid and start time, so it is the same process that turned root.
     */
    @Test
    void aNonRootProcessExecingASetuidRootProgramTurnsRoot() throws IOException {
        Path suid = setuidCopyOfSleep();
        Path go = dir.resolve("exec-now");
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            String code = after(go, "os.execv('" + suid + "', ['suid-sleep', '541'])");
            long pid = root.spawnNoWait(null, "setpriv", "--reuid=4321", "--regid=4321", "--clear-groups",
                    Tools.PYTHON, "-c", code);
            Tools.awaitExec(pid, Tools.python(), List.of(Tools.PYTHON, "-c", code));
            w.until(Duration.ofSeconds(5), "the process seen as 4321",
                    x -> x.last().process((int) pid) != null && x.last().process((int) pid).uid().effective() == 4321);
            touch(go);
            Tools.await(Duration.ofSeconds(5), "the exec into the set-uid program", () -> suid.toString().equals(Tools.exe(pid)));
            assertThat(Tools.status(pid, "Uid:")).as("set-uid honoured (the filesystem is not nosuid)")
                    .matches("4321\\s+0\\s+0\\s+0");
            Finding f = w.await(ThreatRule.PRIVILEGE_CHANGE.id());
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.of(ThreatRule.PRIVILEGE_CHANGE.id())).containsExactly(f);
            Expect.threat(f, ThreatRule.PRIVILEGE_CHANGE, pid);
            assertThat(f.subject().exe().path()).isEqualTo(suid.toString());
            assertThat(f.detail()).isEqualTo(suid + " (pid " + pid
                    + ") turned root during its life: uids 4321/4321 then 4321/0 (real/effective)");
            assertThat(Expect.threatRules(w)).as("plus exec-from-writable-dir when the copy had to go to /tmp")
                    .allMatch(r -> Set.of("privilege-change", "exec-from-writable-dir").contains(r));
        }
    }

    /**
     * A root-owned set-uid copy of sleep where uid 4321 can reach it: under the build directory when every
     * directory above it is searchable by others (no writable-directory finding then), else in /tmp.
     */
    private Path setuidCopyOfSleep() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        boolean searchable = true;
        for (Path p = target; p != null && searchable; p = p.getParent()) {
            searchable = Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE);
        }
        Path base = searchable ? Files.createDirectories(target.resolve("judge-suid")) : dir;
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path suid = base.resolve("suid-sleep");
        Files.copy(Path.of(sleep), suid, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(suid, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder chmod = new ProcessBuilder("chmod", "4755", suid.toString());
        try {
            assertThat(chmod.start().waitFor()).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return suid;
    }

    private static void touch(Path p) {
        try {
            Files.writeString(p, "");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
