package dev.picket.judge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.picket.profile.Mode;
import dev.picket.profile.Profile;
import dev.picket.profile.ProfileCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The learn → enforce round trip in a pod: the sidecar starts with no profile (the embedded default, learn
 * mode) next to a benign service that talks to a remote, resolves names, listens and runs helpers, while
 * the kubelet execs a health probe into the pod from outside. The learned profile is rendered as
 * {@code GET /v1/profile/learned} renders it, compiled back and installed; the same workload then runs for
 * a minute with zero violations of any kind, probes included, and each forbidden action is caught alone.
 */
class LearnEnforcePodTest {

    /** The fork rate over the one-minute window is known after 12 s; learning must see it. */
    private static final Duration LEARN = Duration.ofSeconds(13);
    private static final Duration REPLAY = Duration.ofSeconds(60);

    @TempDir
    Path triggers;

    @Test
    void learnedProfileReplaysAMinuteCleanThenCatchesAnUnknownExecAndANewEgress() throws Exception {
        String embeddedDefault;
        try (InputStream in = ProfileCompiler.class.getClassLoader().getResourceAsStream(ProfileCompiler.EMBEDDED_DEFAULT)) {
            embeddedDefault = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path execTrigger = triggers.resolve("exec");
        Path egressTrigger = triggers.resolve("egress");
        String workload = String.join("\n",
                Tools.PYTHON + " " + Tools.script("servers.py") + " " + triggers.resolve("servers-ready") + " tcp:8443 dns:53 &",
                "while [ ! -f " + triggers.resolve("servers-ready") + " ]; do sleep 0.05; done",
                Tools.PYTHON + " " + Tools.script("roundtrip_app.py") + " " + execTrigger + " " + egressTrigger + " &");
        try (Pod pod = Pod.start(embeddedDefault, List.of(NetLab.REMOTE, NetLab.OTHER, NetLab.RESOLVER),
                List.of(NetLab.RESOLVER), 200, workload)) {
            assertThat(pod.state().get("mode").asText()).isEqualTo(Mode.LEARN.wire());
            long learnUntil = System.nanoTime() + LEARN.toNanos();
            probe(pod, triggers, "learn");
            Tools.sleep(Math.max(0, (learnUntil - System.nanoTime()) / 1_000_000));
            assertThat(pod.findings()).as("no threat while learning").isEmpty();

            String learned = pod.learned();
            Profile compiled = Profiles.compile(learned);
            assertThat(compiled.mode()).isEqualTo(Mode.ENFORCE);
            String python = Tools.python();
            assertThat(compiled.processAllowed(Tools.real("sleep"), python)).as(learned).isTrue();
            assertThat(compiled.processAllowed(Tools.real("cat"), null)).as("the probe, parent outside").isTrue();
            assertThat(compiled.processAllowed(Tools.real("tail"), python)).isFalse();
            assertThat(compiled.egressAllowed(java.net.InetAddress.getByName(NetLab.REMOTE), 8443,
                    dev.picket.profile.Protocol.TCP)).isTrue();
            assertThat(compiled.listenAllowed(8000, dev.picket.profile.Protocol.TCP)).isTrue();
            assertThat(learned).as("DNS to the resolver is not egress, so it is not learned").doesNotContain("10.1.2.53");

            pod.profile(learned);
            long replayFrom = pod.seq();
            long replayUntil = System.nanoTime() + REPLAY.toNanos();
            int probes = 0;
            while (System.nanoTime() < replayUntil) {
                if (probes < 3) {
                    probe(pod, triggers, "replay-" + probes++);
                }
                Tools.sleep(1000);
                assertThat(pod.findings()).as("replaying the learned workload, state:\n" + pod.state()).isEmpty();
            }
            JsonNode replayed = pod.state();
            assertThat(replayed.get("seq").asLong() - replayFrom).as("scans replayed").isGreaterThan(200);
            assertThat(replayed.get("outbound").asInt()).as("the workload still talks").isGreaterThan(2);

            Files.writeString(execTrigger, "");
            List<JsonNode> found = pod.awaitFindings(Duration.ofSeconds(10), "the unknown exec", f -> !f.isEmpty());
            pod.awaitScans(10);
            found = pod.findings();
            assertThat(found).as("the unknown exec alone").hasSize(1);
            JsonNode exec = found.getFirst();
            assertThat(exec.get("kind").asText()).isEqualTo("PROCESS");
            assertThat(exec.get("rule").asText()).isEqualTo(ProcessAllowlistRule.NOT_ALLOWED);
            assertThat(exec.get("exe").asText()).isEqualTo(Tools.real("tail"));
            assertThat(exec.get("parentExe").asText()).isEqualTo(python);
            assertThat(exec.get("argv").toString()).isEqualTo("[\"tail\",\"-f\",\"/dev/null\"]");
            assertThat(exec.get("mode").asText()).isEqualTo("enforce");

            Files.writeString(egressTrigger, "");
            pod.awaitFindings(Duration.ofSeconds(10), "the new egress", f -> f.size() > 1);
            pod.awaitScans(10);
            found = pod.findings();
            assertThat(found).as("the new egress alone").hasSize(2);
            JsonNode egress = found.get(1);
            assertThat(egress.get("kind").asText()).isEqualTo("EGRESS");
            assertThat(egress.get("remote").asText()).isEqualTo("10.1.2.4:8443/tcp");
            assertThat(egress.get("exe").asText()).isEqualTo(python);
        }
    }

    /**
     * An exec probe as the kubelet runs it: {@code cat /tmp/healthy} entered into the pod from outside, so its
     * parent is outside the PID namespace. The file is a FIFO that the test answers only once a scan has seen
     * the probe twice, so the probe is judged, not missed.
     */
    private static void probe(Pod pod, Path dir, String name) throws IOException, InterruptedException {
        Path healthy = dir.resolve("healthy-" + name);
        assertThat(new ProcessBuilder("mkfifo", healthy.toString()).start().waitFor()).isZero();
        Process probe = pod.enter("cat", healthy.toString());
        JsonNode seen = pod.awaitState(Duration.ofSeconds(10), "the probe seen in the pod",
                s -> !Pod.processes(s, healthy.toString()).isEmpty());
        assertThat(Pod.processes(seen, healthy.toString()).getFirst().get("ppid").asInt()).as("parent outside").isZero();
        pod.awaitScans(2);
        try (OutputStream out = Files.newOutputStream(healthy)) {
            out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(probe.waitFor()).isZero();
    }
}
