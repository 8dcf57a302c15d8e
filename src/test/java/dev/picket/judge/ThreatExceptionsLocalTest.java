package dev.picket.judge;

import dev.picket.profile.EgressRuleSpec;
import dev.picket.profile.Profile;
import dev.picket.profile.ThreatRule;
import dev.picket.profile.learn.Learner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code spec.threats.exceptions} on real processes and connections: an exception covers exactly the findings whose
 * process, parent and remote match it, the same behaviour elsewhere is still raised, and what an exception covers is
 * normal for the workload, so it is learned. Network cases run in a {@link NetLab} namespace (10.1.2.3,
 * 169.254.169.254 and fd00:ec2::254 on its loopback), under a profile that allows any egress.
 */
class ThreatExceptionsLocalTest {

    private static NetLab lab;
    private static String python;
    private static String sleep;

    @BeforeAll
    static void lab() {
        lab = NetLab.start(80, 3333, 4444);
        python = Tools.python();
        sleep = Tools.real("sleep");
    }

    @AfterAll
    static void close() {
        if (lab != null) {
            lab.close();
        }
    }

    /**
     * Allows every executable, root and any egress, with {@code threats} as given; namespace-change is off because the
     * lab's namespace is the test's doing, not the workload's.
     */
    private static Profile profile(String mode, String exceptions) {
        return Profiles.spec("""
                mode: %s
                processes:
                  allow:
                    - exe: /**
                  allowRoot: true
                network:
                  egress:
                    - cidr: 0.0.0.0/0
                    - cidr: ::/0
                threats:
                  disable: [namespace-change]
                  exceptions:
                %s""".formatted(mode, exceptions.stripIndent().lines().map(l -> "    " + l + "\n")
                .reduce("", String::concat)));
    }

    /** A process that is {@code sleep} holding a TCP connection to {@code host:port} on fd 3 (bash's /dev/tcp). */
    private static long sleeperConnectedTo(Spawner root, String host, int port, String marker) {
        long pid = root.spawnNoWait(null, Tools.real("bash"), "-c",
                "exec 3<>/dev/tcp/" + host + "/" + port + " && exec " + sleep + " " + marker);
        Tools.awaitExe(pid, sleep);
        return pid;
    }

    /**
     * The one child of {@code shell}, once it runs {@code sleep marker}: the first scan must not catch it between fork
     * and exec, when it is still a copy of the shell (with the shell's environment, a finding of its own).
     */
    private static long childRunning(long shell, String marker) {
        long[] child = new long[1];
        Tools.await(Duration.ofSeconds(10), "the shell's sleep " + marker + " runs", () -> {
            long[] c = Tools.children(shell);
            child[0] = c.length == 1 ? c[0] : 0;
            return child[0] != 0 && List.of(sleep, marker).equals(Tools.argv(child[0])) && sleep.equals(Tools.exe(child[0]));
        });
        return child[0];
    }

    @Test
    void aMiningPoolPortExceptedForOneExecutableIsRaisedForAnotherAndOnOtherPorts() {
        Profile excepted = profile("monitor", """
                - rule: mining-pool
                  exe: %s
                  ports: [4444]
                  reason: the tests drive a Selenium Grid hub on 4444
                """.formatted(python));
        try (Spawner root = lab.spawner(); Watch w = Watch.tree(root.pid(), excepted)) {
            long selenium = lab.client(root, "selenium", "tcp:10.1.2.3:4444", "tcp:10.1.2.3:3333");
            long other = sleeperConnectedTo(root, NetLab.REMOTE, 4444, "601");
            w.until(Duration.ofSeconds(5), "two mining-pool findings", x -> x.of(ThreatRule.MINING_POOL.id()).size() == 2);
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.last().outbound()).as("three connections seen").hasSize(3);
            assertThat(Expect.threatRules(w)).containsExactly("mining-pool", "mining-pool");
            Finding onOtherPort = w.findings().stream().filter(f -> f.subject().pid() == selenium).findFirst().orElseThrow();
            Expect.threat(onOtherPort, ThreatRule.MINING_POOL, selenium);
            assertThat(onOtherPort.remote()).as("4444 is excepted for Python, 3333 is not").isEqualTo("10.1.2.3:3333/tcp");
            Finding otherExe = w.findings().stream().filter(f -> f.subject().pid() == other).findFirst().orElseThrow();
            Expect.threat(otherExe, ThreatRule.MINING_POOL, other);
            assertThat(otherExe.remote()).as("4444 from another executable is raised").isEqualTo("10.1.2.3:4444/tcp");
            assertThat(otherExe.detail()).isEqualTo(sleep + " (pid " + other + ") connects to 10.1.2.3:4444/tcp,"
                    + " a port mining pools use");

            // an excepted finding is not remembered: without the exception, the standing connection is raised at once
            w.profile(Profiles.permissive("namespace-change"));
            w.scan();
            assertThat(w.findings()).hasSize(3);
            Finding now = w.findings().get(2);
            Expect.threat(now, ThreatRule.MINING_POOL, selenium);
            assertThat(now.remote()).isEqualTo("10.1.2.3:4444/tcp");
        }
    }

    @Test
    void preloadInjectionExceptedByExecutableCoversEveryProcessOfIt() {
        Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "LD_PRELOAD", "/nonexistent.so");
        String sh = Tools.real("sh");
        Profile excepted = Profiles.spec("""
                processes:
                  allow:
                    - exe: /**
                  allowRoot: true
                threats:
                  exceptions:
                    - rule: preload-injection
                      exe: %s
                      reason: the image preloads jemalloc into its sleeper
                """.formatted(sleep));
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), excepted)) {
            long shell = root.spawnWithEnv(env, sh, "-c", sleep + " 611 & wait");
            long child = childRunning(shell, "611");
            long direct = root.spawnWithEnv(env, sleep, "612");
            assertThat(w.awaitProcess("611", Duration.ofSeconds(5)).pid()).isEqualTo((int) child);
            w.until(Duration.ofSeconds(5), "the shell's finding", x -> !x.of(ThreatRule.PRELOAD_INJECTION.id()).isEmpty());
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.process("612").pid()).isEqualTo((int) direct);
            assertThat(w.process("611").envMarkers()).as("the child inherited LD_PRELOAD").isNotEmpty();
            assertThat(Expect.threatRules(w)).containsExactly("preload-injection");
            Expect.threat(w.findings().getFirst(), ThreatRule.PRELOAD_INJECTION, shell);
            assertThat(w.findings().getFirst().detail()).isEqualTo(sh + " (pid " + shell
                    + ") started with LD_PRELOAD set in its environment");
        }
    }

    @Test
    void aParentNarrowsAnExceptionToTheProcessesThatParentStarts() {
        Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "LD_PRELOAD", "/nonexistent.so");
        String sh = Tools.real("sh");
        Profile excepted = Profiles.spec("""
                processes:
                  allow:
                    - exe: /**
                  allowRoot: true
                threats:
                  exceptions:
                    - rule: preload-injection
                      exe: %s
                      parent: %s
                      reason: the entrypoint script starts the sleeper with jemalloc
                """.formatted(sleep, sh));
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), excepted)) {
            long shell = root.spawnWithEnv(env, sh, "-c", sleep + " 621 & wait");
            long child = childRunning(shell, "621");
            long direct = root.spawnWithEnv(env, sleep, "622");
            assertThat(w.awaitProcess("621", Duration.ofSeconds(5)).pid()).isEqualTo((int) child);
            w.until(Duration.ofSeconds(5), "two findings", x -> x.of(ThreatRule.PRELOAD_INJECTION.id()).size() == 2);
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.process("621").parentExe()).isEqualTo(sh);
            assertThat(w.findings()).hasSize(2).allSatisfy(f -> Expect.threat(f, ThreatRule.PRELOAD_INJECTION));
            assertThat(w.findings()).extracting(f -> (long) f.subject().pid())
                    .as("the shell and the sleeper the spawner started; not the sleeper the shell started")
                    .containsExactlyInAnyOrder(shell, direct).doesNotContain(child);
        }
    }

    @Test
    void cloudMetadataExceptedByAddressIsLearnedTheOtherAddressIsRaisedAndNotLearned() {
        Profile learning = profile("learn", """
                - rule: cloud-metadata
                  cidr: 169.254.169.254
                  reason: the SDK takes its credentials from IMDS over IPv4
                """);
        Learner learner = new Learner(1.5, (kind, time) -> { });
        try (Spawner root = lab.spawner(); Watch w = Watch.tree(root.pid(), learning)) {
            long v4 = lab.client(root, "imds-v4", "tcp:169.254.169.254:80");
            long v6 = lab.client(root, "imds-v6", "tcp:[fd00:ec2::254]:80");
            // learn as VerdictService does: every scan and its verdict go to the learner; two seconds, a finding seen
            long start = System.nanoTime();
            while (System.nanoTime() - start < Duration.ofSeconds(2).toNanos() || w.findings().isEmpty()) {
                if (System.nanoTime() - start > Duration.ofSeconds(10).toNanos()) {
                    throw new AssertionError("no finding within 10 s\n" + w.report());
                }
                Verdict v = w.scan();
                learner.observe(w.last(), v, w.judge().context(), v.forksPerMinute());
                Tools.sleep(Watch.STEP.toMillis());
            }
            assertThat(w.last().outbound()).hasSize(2);
            assertThat(w.findings()).as("learn mode still reports threats; the excepted one is not").hasSize(1);
            Finding f = w.findings().getFirst();
            Expect.threat(f, ThreatRule.CLOUD_METADATA, v6);
            assertThat(f.remote()).isEqualTo("[fd00:ec2:0:0:0:0:0:254]:80/tcp");
            assertThat(w.lastVerdict().threatRemotes()).containsExactly("[fd00:ec2:0:0:0:0:0:254]:80/tcp");
            assertThat(w.lastVerdict().threatIdentities()).contains(f.identity())
                    .doesNotContain(Finding.identityOf(w.process("imds-v4")));
            List<EgressRuleSpec> egress = learner.spec().getNetwork().getEgress();
            assertThat(egress).extracting(EgressRuleSpec::getCidr).as("the excepted connection is normal: learned")
                    .containsExactly("169.254.169.254/32");
            assertThat(egress.getFirst().getPorts()).containsExactly(80);
            assertThat(w.process("imds-v4").pid()).isEqualTo((int) v4);
        }
    }
}
