package dev.picket.judge;

import dev.picket.profile.ThreatRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Threats in what a process runs: a binary from a writable directory, a memfd or deleted binary, a
 * dynamic-linker variable in its environment, a mining-pool URL in its arguments. Under a profile that
 * allows every executable, so only the threat rules speak.
 */
class ProgramImageThreatsLocalTest {

    private Path tmp;
    private Path shm;
    private String sleep;

    @BeforeEach
    void dirs() throws IOException {
        Tools.requireTools();
        sleep = Tools.real("sleep");
        tmp = Files.createTempDirectory(Path.of("/tmp"), "picket-dropped");
        shm = Files.createTempDirectory(Path.of("/dev/shm"), "picket-dropped");
    }

    @AfterEach
    void clean() throws IOException {
        for (Path dir : new Path[] {tmp, shm}) {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        }
    }

    private Path drop(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.copy(Path.of(sleep), p, StandardCopyOption.COPY_ATTRIBUTES);
        return p;
    }

    @Test
    void execFromWritableDirIsOneViolationPerProcess() throws IOException {
        Path inTmp = drop(tmp, "dropped-tool");
        Path inShm = drop(shm, "dropped-tool");
        Path script = tmp.resolve("script.py");
        Files.writeString(script, "import time\ntime.sleep(600)\n");
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            long a = root.spawn(inTmp.toString(), "511");
            long b = root.spawn(inShm.toString(), "512");
            long interpreted = root.spawn(Tools.PYTHON, script.toString());
            w.until(Duration.ofSeconds(5), "two violations", x -> x.findings().size() == 2);
            w.scanFor(Duration.ofMillis(800));
            assertThat(w.findings()).hasSize(2);
            Finding fa = w.findings().stream().filter(f -> f.subject().pid() == a).findFirst().orElseThrow();
            Finding fb = w.findings().stream().filter(f -> f.subject().pid() == b).findFirst().orElseThrow();
            Expect.threat(fa, ThreatRule.EXEC_FROM_WRITABLE_DIR, a);
            Expect.threat(fb, ThreatRule.EXEC_FROM_WRITABLE_DIR, b);
            assertThat(fa.subject().exe().path()).isEqualTo(inTmp.toString());
            assertThat(fa.subject().argv().args()).containsExactly(inTmp.toString(), "511");
            assertThat(fa.remote()).isNull();
            assertThat(fa.detail()).isEqualTo(inTmp + " (pid " + a + ") executes a file from the writable directory /tmp/");
            assertThat(fb.detail()).isEqualTo(inShm + " (pid " + b + ") executes a file from the writable directory /dev/shm/");
            // what the rule cannot see: a script from /tmp run by an interpreter that lives elsewhere
            assertThat(w.process(script.toString()).pid()).isEqualTo((int) interpreted);

            long again = root.spawn(inTmp.toString(), "511");
            w.until(Duration.ofSeconds(5), "a new process of the same file", x -> x.findings().size() == 3);
            Expect.threat(w.findings().get(2), ThreatRule.EXEC_FROM_WRITABLE_DIR, again);
        }
    }

    @Test
    void aMemfdExecutableIsFileless() {
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            long pid = root.spawnNoWait(null, Tools.PYTHON, "-c", String.join("\n",
                    "import os",
                    "fd = os.memfd_create('payload', 0)",
                    "os.write(fd, open('" + sleep + "', 'rb').read())",
                    "os.execv('/proc/self/fd/%d' % fd, ['payload', '513'])"));
            Finding f = w.await(ThreatRule.FILELESS_EXEC.id());
            w.scanFor(Duration.ofMillis(800));
            assertThat(Expect.threatRules(w)).containsExactly("fileless-exec");
            Expect.threat(f, ThreatRule.FILELESS_EXEC, pid);
            assertThat(f.subject().exe().memfd()).isTrue();
            assertThat(f.subject().argv().args()).containsExactly("payload", "513");
            assertThat(f.detail()).isEqualTo("/memfd:payload (pid " + pid + ") runs from an in-memory file ("
                    + f.subject().exe().raw() + ")");
            assertThat(f.subject().exe().raw()).startsWith("/memfd:payload");
        }
    }

    @Test
    void aBinaryDeletedAfterItStartedIsFileless() throws IOException {
        Path vanishing = drop(tmp, "vanishing");
        try (Spawner root = Spawner.start()) {
            long pid = root.spawn(vanishing.toString(), "514");
            Files.delete(vanishing);
            try (Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
                Finding f = w.await(ThreatRule.FILELESS_EXEC.id());
                w.scanFor(Duration.ofMillis(800));
                assertThat(Expect.threatRules(w)).as("deleted wins over the writable directory")
                        .containsExactly("fileless-exec");
                Expect.threat(f, ThreatRule.FILELESS_EXEC, pid);
                assertThat(f.detail()).isEqualTo(vanishing + " (pid " + pid
                        + ") runs from a binary deleted after it started (" + vanishing + " (deleted))");
            }
        }
    }

    @Test
    void dynamicLinkerVariablesAreInjectionButLdLibraryPathIsNot() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            long preload = root.spawnWithEnv(Map.of("PATH", path, "LD_PRELOAD", "/nonexistent.so"), "sleep", "515");
            long tunables = root.spawnWithEnv(Map.of("PATH", path, "GLIBC_TUNABLES", "glibc.malloc.check=0"), "sleep", "516");
            long audit = root.spawnWithEnv(Map.of("PATH", path, "LD_AUDIT", "/nonexistent-audit.so"), "sleep", "517");
            long libraryPath = root.spawnWithEnv(Map.of("PATH", path, "LD_LIBRARY_PATH", "/opt/app/lib"), "sleep", "518");
            w.until(Duration.ofSeconds(5), "three violations", x -> x.findings().size() == 3);
            w.scanFor(Duration.ofMillis(800));
            assertThat(w.findings()).hasSize(3);
            assertThat(w.process("518").pid()).isEqualTo((int) libraryPath);
            assertThat(w.findings()).allSatisfy(f -> Expect.threat(f, ThreatRule.PRELOAD_INJECTION));
            assertThat(w.findings()).extracting(f -> (long) f.subject().pid())
                    .containsExactlyInAnyOrder(preload, tunables, audit);
            assertThat(w.findings()).extracting(Finding::detail).containsExactlyInAnyOrder(
                    sleep + " (pid " + preload + ") started with LD_PRELOAD set in its environment",
                    sleep + " (pid " + tunables + ") started with GLIBC_TUNABLES set in its environment",
                    sleep + " (pid " + audit + ") started with LD_AUDIT set in its environment");
        }
    }

    @Test
    void aStratumUrlInTheArgumentsIsMining() {
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            long miner = root.spawn(Tools.PYTHON, "-c", "import time; time.sleep(600)", "-o",
                    "stratum+tcp://pool.example.com:3333", "--user", "wallet");
            long ssl = root.spawn(Tools.PYTHON, "-c", "import time; time.sleep(600)", "--url=STRATUM2+SSL://pool.example.com:443");
            long benign = root.spawn(Tools.PYTHON, "-c", "import time; time.sleep(600)", "--stratum-level", "3");
            w.until(Duration.ofSeconds(5), "two violations", x -> x.findings().size() == 2);
            w.scanFor(Duration.ofMillis(800));
            assertThat(w.findings()).hasSize(2).allSatisfy(f -> Expect.threat(f, ThreatRule.MINING_POOL));
            Finding f = w.findings().stream().filter(x -> x.subject().pid() == miner).findFirst().orElseThrow();
            assertThat(f.subject().argv().args()).contains("stratum+tcp://pool.example.com:3333");
            assertThat(f.remote()).isNull();
            assertThat(f.detail()).isEqualTo(Tools.python() + " (pid " + miner
                    + ") has a mining-pool URL in its arguments: stratum+tcp://pool.example.com:3333");
            assertThat(w.findings()).extracting(x -> (long) x.subject().pid()).containsExactlyInAnyOrder(miner, ssl)
                    .doesNotContain(benign);
        }
    }
}
