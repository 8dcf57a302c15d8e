package dev.picket.respond;

import dev.picket.testing.Host;
import dev.picket.testing.PicketProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged sidecar, killed with SIGKILL while quarantined, comes back quarantined. */
class QuarantineRestartIT {

    @Test
    void quarantineSurvivesSigkillAndReleaseBringsReadinessBack() throws Exception {
        Host.requireLinux();
        Path dir = Files.createTempDirectory("picket-restart");
        Path state = dir.resolve("state");
        Path log = dir.resolve("picket.log");
        try (PicketProcess first = PicketProcess.start(state, 28788, 28789, log, "picket.watch.command=sleep 600.75")) {
            first.awaitStarted(Duration.ofSeconds(60));
            assertThat(first.status("/q/health/ready")).isEqualTo(200);
            assertThat(first.control("POST", "/v1/quarantine", "{\"reason\":\"restart test\"}").statusCode()).isEqualTo(202);
            assertThat(first.status("/q/health/ready")).isEqualTo(503);
            first.kill();
        }
        assertThat(state.resolve("quarantine.json")).exists();
        try (PicketProcess second = PicketProcess.start(state, 28788, 28789, log, "picket.watch.command=sleep 600.75")) {
            second.awaitStarted(Duration.ofSeconds(60));
            var ready = second.management("/q/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("restart test");
            assertThat(second.control("GET", "/v1/status", null).body()).contains("\"quarantined\":true");
            Files.delete(state.resolve("quarantine.json"));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (second.status("/q/health/ready") != 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(second.status("/q/health/ready")).isEqualTo(200);
        }
        assertThat(Files.readString(log)).contains("restored quarantine").contains("quarantine released");
    }
}
