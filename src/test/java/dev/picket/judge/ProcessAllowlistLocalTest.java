package dev.picket.judge;

import dev.picket.observe.Ids;
import dev.picket.profile.Profile;
import dev.picket.profile.Severity;
import dev.picket.profile.ViolationKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** PROCESS violations from real execs: executables the profile does not allow, with and without a parent, and root. */
class ProcessAllowlistLocalTest {

    private String python;
    private String sleep;

    @BeforeEach
    void tools() {
        Tools.requireTools("setpriv");
        python = Tools.python();
        sleep = Tools.real("sleep");
    }

    @Test
    void anExecNotAllowedIsOneViolationPerProcessAndProgramImage() {
        Profile profile = Profiles.spec("""
                processes:
                  allow:
                    - exe: %s
                  allowRoot: true
                """.formatted(python));
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), profile)) {
            w.scanFor(Duration.ofMillis(300));
            assertThat(w.findings()).as("the allowed interpreter alone").isEmpty();

            long first = root.spawn("sleep", "501");
            Finding f = w.await(ProcessAllowlistRule.NOT_ALLOWED);
            assertThat(f.kind()).isEqualTo(ViolationKind.PROCESS);
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.threat()).isNull();
            assertThat(f.subject().pid()).isEqualTo((int) first);
            assertThat(f.subject().ppid()).isEqualTo((int) root.pid());
            assertThat(f.subject().exe().path()).isEqualTo(sleep);
            assertThat(f.subject().argv().args()).containsExactly("sleep", "501");
            assertThat(f.subject().uid().effective()).isZero();
            assertThat(f.remote()).isNull();
            assertThat(f.detail()).isEqualTo(sleep + " (pid " + first + ") started by " + python
                    + " is not in the profile's allowed executables");

            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.findings()).as("the same process over many scans").containsExactly(f);

            long second = root.spawn("sleep", "501");
            w.until(Duration.ofSeconds(5), "a second violation", x -> x.findings().size() == 2);
            assertThat(w.findings().get(1).subject().pid()).isEqualTo((int) second);
            assertThat(w.findings().get(1).rule()).isEqualTo(ProcessAllowlistRule.NOT_ALLOWED);

            // an allowed process that execs into something else is judged again, same pid
            long execs = root.spawn(Tools.PYTHON, "-c",
                    "import os, time; time.sleep(0.6); os.execv('" + sleep + "', ['sleep', '503'])");
            w.scanFor(Duration.ofMillis(300));
            assertThat(w.findings()).as("still the allowed interpreter").hasSize(2);
            w.until(Duration.ofSeconds(5), "the exec judged", x -> x.findings().size() == 3);
            Finding exec = w.findings().get(2);
            assertThat(exec.subject().pid()).isEqualTo((int) execs);
            assertThat(exec.subject().exe().path()).isEqualTo(sleep);
            assertThat(exec.subject().argv().args()).containsExactly("sleep", "503");
            assertThat(exec.subject().execCount()).isPositive();
            w.scanFor(Duration.ofMillis(500));
            assertThat(w.findings()).hasSize(3);
        }
    }

    @Test
    void aParentConstraintAllowsTheExecOnlyUnderThatParent() {
        String sh = Tools.real("sh");
        Profile profile = Profiles.spec("""
                processes:
                  allow:
                    - exe: %s
                    - exe: %s
                    - exe: %s
                      parent: /usr/bin/python3*
                  allowRoot: true
                """.formatted(python, sh, sleep));
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), profile)) {
            long underPython = root.spawn("sleep", "504");
            long shell = root.spawn("/bin/sh", "-c", "sleep 505 & wait");
            w.until(Duration.ofSeconds(5), "both sleeps seen",
                    x -> x.process("504") != null && x.process("505") != null);
            Finding f = w.await(ProcessAllowlistRule.NOT_ALLOWED);
            w.scanFor(Duration.ofMillis(500));
            assertThat(w.findings()).containsExactly(f);
            assertThat(f.subject().argv().args()).containsExactly("sleep", "505");
            assertThat(f.subject().ppid()).isEqualTo((int) shell);
            assertThat(f.subject().parentExe()).isEqualTo(sh);
            assertThat(f.detail()).endsWith(" started by " + sh + " is not in the profile's allowed executables");
            assertThat(w.process("504").pid()).isEqualTo((int) underPython);
        }
    }

    @Test
    void rootIsAViolationWhenAllowRootIsFalseAndAnotherUidIsNot() {
        Profile profile = Profiles.spec("""
                processes:
                  allow:
                    - exe: /**
                  allowRoot: false
                """);
        try (Spawner root = Spawner.start()) {
            long dropped = root.spawnNoWait(null, "setpriv", "--reuid=4321", "--regid=4321", "--clear-groups",
                    "sleep", "506");
            Tools.awaitExec(dropped, sleep, java.util.List.of("sleep", "506"));
            long asRoot = root.spawn("sleep", "507");
            try (Watch w = Watch.tree(root.pid(), profile)) {
                w.until(Duration.ofSeconds(5), "two root violations",
                        x -> x.of(ProcessAllowlistRule.ROOT).size() == 2);
                w.scanFor(Duration.ofMillis(800));
                assertThat(w.findings()).allSatisfy(f -> {
                    assertThat(f.kind()).isEqualTo(ViolationKind.PROCESS);
                    assertThat(f.rule()).isEqualTo(ProcessAllowlistRule.ROOT);
                    assertThat(f.severity()).isEqualTo(Severity.HIGH);
                    assertThat(f.subject().uid().effective()).isZero();
                });
                assertThat(w.findings()).extracting(f -> (long) f.subject().pid())
                        .containsExactlyInAnyOrder(root.pid(), asRoot);
                Finding sleeping = w.findings().stream().filter(f -> f.subject().pid() == asRoot).findFirst().orElseThrow();
                assertThat(sleeping.detail()).isEqualTo(sleep + " (pid " + asRoot
                        + ") runs as root (effective uid 0) and the profile does not allow root");
                assertThat(w.process("506").uid()).as("the control ran as another uid")
                        .isEqualTo(new Ids(4321, 4321, 4321, 4321));
            }
        }
    }
}
