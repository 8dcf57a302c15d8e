package dev.picket.judge;

import dev.picket.profile.Profile;
import dev.picket.profile.Severity;
import dev.picket.profile.ViolationKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RESOURCE violations: every ceiling exceeded by a real workload, sustain honoured, one violation per
 * breach. The whole watched tree is the neighbour: the spawner at its root counts too.
 */
class ResourceCeilingLocalTest {

    @BeforeEach
    void tools() {
        Tools.requireTools();
    }

    private static Profile ceiling(String resources) {
        return Profiles.spec("""
                processes:
                  allow:
                    - exe: /**
                  allowRoot: true
                resources:
                %s
                """.formatted(resources.stripIndent().indent(2)));
    }

    /** Runs {@code argv} under a spawner with {@code resources} and returns the one violation of {@code rule}. */
    private static Finding breach(String resources, String rule, String... argv) {
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), ceiling(resources))) {
            w.scanFor(Duration.ofMillis(300));
            assertThat(w.findings()).as("below the ceiling before the workload starts").isEmpty();
            root.spawn(argv);
            Finding f = w.await(rule);
            w.scanFor(Duration.ofMillis(700));
            assertThat(w.findings()).as("one breach over many scans").containsExactly(f);
            assertResource(f, rule);
            return f;
        }
    }

    static void assertResource(Finding f, String rule) {
        assertThat(f.kind()).isEqualTo(ViolationKind.RESOURCE);
        assertThat(f.rule()).isEqualTo(rule);
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.threat()).isNull();
        assertThat(f.subject()).as("a ceiling is on the whole neighbour").isNull();
        assertThat(f.identity()).isNull();
        assertThat(f.remote()).isNull();
    }

    /**
     * Two busy loops against a ceiling of a fifth of a core. At the test's 100 ms scans the CPU of a loop on a
     * shared machine can read low for an interval; a breach ends only after a sustain below the ceiling, so
     * such a dip does not start a second breach.
     */
    @Test
    void cpu() {
        Finding f = breach("cpuCores: 0.2\nsustain: 1s", "ceiling-cpu", "/bin/sh", "-c",
                "while :; do :; done & while :; do :; done & wait");
        assertThat(f.detail()).matches("the neighbour's cpu is \\d\\.\\d\\d cores, above the ceiling of 0\\.20 cores"
                + " since \\S+Z \\(sustain 1 s\\)");
    }

    @Test
    void memory() {
        Finding f = breach("memory: 128Mi\nsustain: 0s", "ceiling-memory", Tools.PYTHON, "-c",
                "import time\nb = bytearray(200 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\ntime.sleep(600)");
        // seen while the 200 MiB are still being touched, or after: anything above the ceiling
        assertThat(f.detail()).matches("the neighbour's memory is (1[3-9]\\d{7}|[2-9]\\d{8}) bytes, above the ceiling of"
                + " 134217728 bytes since \\S+ \\(sustain 0 s\\)");
    }

    @Test
    void processes() {
        Finding f = breach("processes: 3\nsustain: 0s", "ceiling-processes", "/bin/sh", "-c",
                "sleep 600 & sleep 600 & sleep 600 & wait");
        assertThat(f.detail()).matches("the neighbour's processes is [45], above the ceiling of 3 since \\S+ \\(sustain 0 s\\)");
    }

    @Test
    void threads() {
        Finding f = breach("threads: 20\nsustain: 0s", "ceiling-threads", Tools.PYTHON, "-c", String.join("\n",
                "import threading, time",
                "for _ in range(40): threading.Thread(target=time.sleep, args=(600,), daemon=True).start()",
                "time.sleep(600)"));
        assertThat(f.detail()).matches("the neighbour's threads is \\d\\d, above the ceiling of 20 since \\S+ \\(sustain 0 s\\)");
    }

    @Test
    void openFiles() {
        Finding f = breach("openFiles: 64\nsustain: 0s", "ceiling-open-files", Tools.PYTHON, "-c", String.join("\n",
                "import time",
                "held = [open('/dev/null') for _ in range(100)]",
                "time.sleep(600)"));
        assertThat(f.detail()).matches("the neighbour's open files is 1\\d\\d, above the ceiling of 64 since \\S+ \\(sustain 0 s\\)");
    }

    /**
     * The rate is known once the judge has a fifth of its one-minute window (12 s). The judge's clock moves
     * one second per scan (the sidecar's default interval) while the test scans ten times a second, so a
     * minute of the judge's time takes six seconds; every process counted is a real one the scanner saw.
     */
    @Test
    void forksPerMinute() {
        Profile profile = ceiling("forksPerMinute: 30\nsustain: 0s");
        try (Spawner root = Spawner.start(); Watch w = Watch.stepping(root.pid(), profile, Duration.ofSeconds(1))) {
            w.until(Duration.ofSeconds(10), "the rate known (12 s of judge time)",
                    x -> !Double.isNaN(x.lastVerdict().forksPerMinute()));
            w.scanFor(Duration.ofMillis(300));
            assertThat(w.findings()).as("an idle tree").isEmpty();
            assertThat(w.lastVerdict().forksPerMinute()).isLessThan(30);
            // steep, so the minute's average crosses the ceiling in a scan or two: a rate that hovers at the
            // ceiling drops below it now and then, and each crossing is a breach of its own
            root.spawn("/bin/sh", "-c", "while :; do sleep 0.3 & sleep 0.3 & sleep 0.3 & sleep 0.05; done");
            Finding f = w.await("ceiling-forks-per-minute");
            w.scanFor(Duration.ofSeconds(1));
            // three times the ceiling is also a fork burst (ForkBurstPodTest); here only the ceiling counts
            assertThat(w.of(ViolationKind.RESOURCE)).containsExactly(f);
            assertResource(f, "ceiling-forks-per-minute");
            assertThat(f.detail()).matches("the neighbour's forks per minute is \\d+ forks per minute, above the ceiling"
                    + " of 30 forks per minute since \\S+ \\(sustain 0 s\\)");
        }
    }

    @Test
    void aBreachShorterThanSustainRaisesNothingALongerOneExactlyOne() {
        Profile profile = ceiling("processes: 2\nsustain: 1s");
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), profile)) {
            for (int i = 0; i < 3; i++) {
                root.spawn("sleep", "0.4");
            }
            w.until(Duration.ofSeconds(5), "the short breach seen", x -> x.last().totals().processes() == 4);
            w.until(Duration.ofSeconds(5), "the short breach over", x -> x.last().totals().processes() == 1);
            w.scanFor(Duration.ofMillis(500));
            assertThat(w.findings()).as("0.4 s above the ceiling, sustain 1 s").isEmpty();

            for (int i = 0; i < 3; i++) {
                root.spawn("sleep", "2");
            }
            Finding f = w.await("ceiling-processes");
            w.until(Duration.ofSeconds(5), "the long breach over", x -> x.last().totals().processes() == 1);
            assertThat(w.findings()).as("2 s above the ceiling is one breach").containsExactly(f);
            assertResource(f, "ceiling-processes");
            assertThat(f.detail()).matches("the neighbour's processes is 4, above the ceiling of 2 since \\S+ \\(sustain 1 s\\)");

            // back above within the sustain: the same breach, not a new one
            for (int i = 0; i < 3; i++) {
                root.spawn("sleep", "0.6");
            }
            w.until(Duration.ofSeconds(5), "above again", x -> x.last().totals().processes() == 4);
            w.until(Duration.ofSeconds(5), "below again", x -> x.last().totals().processes() == 1);
            assertThat(w.findings()).as("a dip shorter than the sustain does not end a breach").containsExactly(f);
            w.scanFor(Duration.ofMillis(1300));

            for (int i = 0; i < 3; i++) {
                root.spawn("sleep", "1.5");
            }
            w.until(Duration.ofSeconds(5), "a second breach", x -> x.findings().size() == 2);
            assertThat(w.findings().get(1).rule()).isEqualTo("ceiling-processes");
            assertThat(w.findings().get(1).key()).isNotEqualTo(f.key());
        }
    }
}
