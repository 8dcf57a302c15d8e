package dev.picket.judge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.picket.profile.ThreatRule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * fork-burst in pod mode, where the PID namespace's last-pid counter counts processes too short-lived to
 * be seen: a calm workload raises nothing, a loop of {@code /bin/true} raises one violation for the burst.
 */
class ForkBurstPodTest {

    @Test
    void aLoopOfShortLivedProcessesIsOneBurstACalmWorkloadNone() {
        String profile = Profiles.document("""
                mode: monitor
                processes:
                  allow:
                    - exe: /**
                  allowRoot: true
                """);
        try (Pod pod = Pod.start(profile, List.of(), List.of(), 100, "while :; do sleep 1; done &")) {
            // the burst rate is over the last 10 s, known once the scans span 2 s
            JsonNode calm = pod.awaitState(Duration.ofSeconds(20), "3 s of calm", s -> s.get("seq").asLong() >= 30);
            assertThat(calm.get("forkSource").asText()).isEqualTo("PID_NAMESPACE");
            assertThat(pod.findings()).as("a calm workload: one sleep a second").isEmpty();

            long before = pod.seq();
            Process burst = pod.enter("timeout", "3", "/bin/sh", "-c", "while :; do /bin/true; done");
            List<JsonNode> found = pod.awaitFindings(Duration.ofSeconds(10), "a fork burst",
                    f -> !f.isEmpty());
            Tools.await(Duration.ofSeconds(10), "the burst over", () -> !burst.isAlive());
            pod.awaitScans(20);
            found = pod.findings();
            assertThat(found).as("one burst, however many scans it spans").hasSize(1);
            JsonNode f = found.getFirst();
            assertThat(f.get("seq").asLong()).isGreaterThan(before);
            assertThat(f.get("kind").asText()).isEqualTo("THREAT");
            assertThat(f.get("rule").asText()).isEqualTo(ThreatRule.FORK_BURST.id());
            assertThat(f.get("severity").asText()).isEqualTo(ThreatRule.FORK_BURST.severity().name());
            assertThat(f.has("pid")).as("a rate has no process").isFalse();
            assertThat(f.get("remote").isNull()).isTrue();
            assertThat(f.get("detail").asText()).matches("\\d+ tasks per minute created in the neighbour over the last"
                    + " 10 s, above the burst threshold of 1200 \\(pid namespace\\)");
        }
    }
}
