package dev.picket.hardening;

import dev.picket.testing.Host;
import dev.picket.testing.PicketProcess;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sidecar fails closed on what it cannot trust (docs/threat-model.md, "Fail closed"): a quarantine
 * record it cannot read keeps the pod quarantined, and a token file others can read locks the control endpoint.
 */
class FailClosedIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static Path dir() throws Exception {
        Host.requireLinux();
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("picket.it.jar") != null,
                "needs the packaged sidecar: an *IT class, run by failsafe after package");
        return Files.createTempDirectory("picket-fail-closed");
    }

    @Test
    void anUnreadableQuarantineRecordKeepsThePodQuarantined() throws Exception {
        Path dir = dir();
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve("quarantine.json"), "{\"reason\": \"cut short by a cra");
        try (PicketProcess p = PicketProcess.start(state, Pod.freePort(), Pod.freePort(), dir.resolve("log"),
                "picket.watch.command=sleep 600.5")) {
            p.awaitStarted(Duration.ofSeconds(60));
            var ready = p.management("/q/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("picket-quarantine");
            Thread.sleep(1000);
            assertThat(p.status("/q/health/ready")).isEqualTo(503);
        } finally {
            BuildDir.delete(dir);
        }
    }

    @Test
    void aTokenFileOthersCanReadLocksTheControlEndpoint() throws Exception {
        Path dir = dir();
        Path state = Files.createDirectories(dir.resolve("state"));
        String token = "a-token-that-others-can-read-0123456789";
        Files.writeString(state.resolve("control-token"), token + "\n");
        Files.setPosixFilePermissions(state.resolve("control-token"), PosixFilePermissions.fromString("rw-r--r--"));
        int control = Pod.freePort();
        try (PicketProcess p = PicketProcess.start(state, control, Pod.freePort(), dir.resolve("log"),
                "picket.watch.command=sleep 600.5")) {
            p.awaitStarted(Duration.ofSeconds(60));
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + control
                    + "/v1/status")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("locked").contains("chmod 600").doesNotContain(token);
            assertThat(Files.readString(dir.resolve("log"))).contains("control endpoint locked").doesNotContain(token);
        } finally {
            BuildDir.delete(dir);
        }
    }
}
