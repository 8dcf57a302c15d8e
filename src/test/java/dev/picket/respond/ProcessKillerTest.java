package dev.picket.respond;

import dev.picket.observe.ProcScanner;
import dev.picket.observe.ProcessSample;
import dev.picket.observe.ScannerSettings;
import dev.picket.observe.Snapshot;
import dev.picket.testing.Children;
import dev.picket.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGKILL against real processes: the right ones die, everything else is never touched. */
class ProcessKillerTest {

    private Children children;
    private final ProcessKiller killer = new ProcessKiller(Path.of("/proc"));

    @BeforeEach
    void setUp() {
        Host.requireRoot();
        children = new Children();
    }

    @AfterEach
    void tearDown() {
        children.close();
    }

    private static Snapshot scan(long rootPid) {
        try (ProcScanner s = new ProcScanner(ScannerSettings.rootPid(Path.of("/proc"), (int) rootPid), Clock.systemUTC())) {
            return s.scan();
        }
    }

    private static ProcessSample byArg(Snapshot s, String arg) {
        return s.processes().stream().filter(p -> p.argv().args().contains(arg)).findFirst().orElseThrow();
    }

    @Test
    void killsTheProcessAndEveryDescendant() throws Exception {
        Process tree = children.sh("sleep 401 & sleep 402 & sh -c 'sleep 403 & wait' & wait");
        Thread.sleep(300);
        Snapshot s = scan(tree.pid());
        List<ProcessHandle> before = tree.descendants().toList();
        assertThat(before).hasSizeGreaterThanOrEqualTo(4);
        ProcessSample root = s.process((int) tree.pid());
        KillResult r = killer.kill(root.pid(), root.startTicks(), true, s);
        assertThat(r.signalled()).isTrue();
        assertThat(r.killed()).contains((int) tree.pid());
        assertThat(tree.waitFor(5, TimeUnit.SECONDS)).isTrue();
        for (ProcessHandle h : before) {
            h.onExit().get(5, TimeUnit.SECONDS);
            assertThat(h.isAlive()).as("descendant " + h.pid()).isFalse();
        }
    }

    @Test
    void withoutDescendantsOnlyTheProcessDies() throws Exception {
        Process tree = children.sh("sleep 411 & sleep 412; true");
        Thread.sleep(300);
        Snapshot s = scan(tree.pid());
        ProcessSample sleep = byArg(s, "411");
        KillResult r = killer.kill(sleep.pid(), sleep.startTicks(), false, s);
        assertThat(r.killed()).containsExactly(sleep.pid());
        assertThat(tree.isAlive()).isTrue();
    }

    @Test
    void neverTouchesAProcessOutsideTheScope() throws Exception {
        Process watched = children.start("sleep", "421");
        Process outside = children.start("sleep", "422");
        Thread.sleep(200);
        Snapshot s = scan(watched.pid());
        long start = ticks(outside.pid());
        KillResult r = killer.kill((int) outside.pid(), start, true, s);
        assertThat(r.signalled()).isFalse();
        assertThat(r.reason()).contains("outside the watch scope");
        Thread.sleep(200);
        assertThat(outside.isAlive()).isTrue();
    }

    @Test
    void neverKillsPicketItselfPidOneOrAnAncestor() {
        Snapshot s = scan(ProcessHandle.current().pid());
        long self = ProcessHandle.current().pid();
        assertThat(killer.kill((int) self, 0, true, s).reason()).contains("Picket itself");
        assertThat(killer.kill(1, 0, true, s).reason()).contains("pid 1");
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        assertThat(killer.kill((int) parent, 0, true, s).reason()).contains("ancestor");
        assertThat(ProcessHandle.current().parent().orElseThrow().isAlive()).isTrue();
    }

    @Test
    void aStartTimeThatDoesNotMatchIsNotSignalled() throws Exception {
        Process p = children.start("sleep", "431");
        Thread.sleep(200);
        Snapshot s = scan(p.pid());
        ProcessSample sample = s.process((int) p.pid());
        KillResult r = killer.kill(sample.pid(), sample.startTicks() - 1, false, s);
        assertThat(r.signalled()).isFalse();
        assertThat(r.reason()).contains("now belongs to another process");
        assertThat(p.isAlive()).isTrue();
    }

    /**
     * A real pid reuse: the scanned process exits and a new one is made to take its pid by setting the
     * namespace's last pid (as CRIU does), then the kill aimed at the old process must not hit it.
     */
    @Test
    void aReusedPidIsNotHit() throws Exception {
        Path lastPid = Path.of("/proc/sys/kernel/ns_last_pid");
        Host.requireRoot();
        for (int attempt = 0; attempt < 20; attempt++) {
            Process old = children.start("sleep", "441");
            Thread.sleep(100);
            Snapshot s = scan(old.pid());
            ProcessSample gone = s.process((int) old.pid());
            old.destroyForcibly().waitFor();
            Files.writeString(lastPid, Long.toString(old.pid() - 1));
            Process reuser = children.start("sleep", "442");
            if (reuser.pid() != old.pid()) {
                continue; // another process on the machine took the pid first: try again
            }
            KillResult r = killer.kill(gone.pid(), gone.startTicks(), true, s);
            assertThat(r.signalled()).isFalse();
            assertThat(r.reason()).containsAnyOf("now belongs to another process", "exited");
            Thread.sleep(200);
            assertThat(reuser.isAlive()).as("the process that reused the pid").isTrue();
            return;
        }
        throw new AssertionError("could not make a process reuse a pid in 20 attempts");
    }

    @Test
    void anAlreadyExitedProcessIsReportedAsSuch() throws Exception {
        Process p = children.start("sleep", "451");
        Thread.sleep(100);
        Snapshot s = scan(p.pid());
        ProcessSample sample = s.process((int) p.pid());
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        Thread.sleep(100);
        KillResult r = killer.kill(sample.pid(), sample.startTicks(), false, s);
        assertThat(r.signalled()).isFalse();
        assertThat(r.reason()).contains("exited");
    }

    private static long ticks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
    }

}
