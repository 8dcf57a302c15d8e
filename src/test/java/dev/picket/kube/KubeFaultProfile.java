package dev.picket.kube;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Picket as the enforcing sidecar of pod shop/web-1 ({@link FaultyApiServer}), watching a shell that runs whatever
 * the test writes into a FIFO, so the test can start forbidden processes in the watched tree. Random ports, its own
 * state directory and FIFO under the build directory.
 */
public class KubeFaultProfile implements QuarkusTestProfile {

    static final int QUEUE_SIZE = 16;

    static Path dir() {
        return KubeProfile.stateDir().resolveSibling("kube-fault-test");
    }

    static Path fifo() {
        return dir().resolve("commands");
    }

    static Path state() {
        return dir().resolve("state");
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            if (Files.exists(dir())) {
                try (var files = Files.walk(dir())) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
            Files.createDirectories(dir());
            new ProcessBuilder("mkfifo", fifo().toString()).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Map.ofEntries(
                Map.entry("quarkus.http.test-port", "0"),
                Map.entry("quarkus.management.test-port", "0"),
                Map.entry("picket.state.dir", state().toString()),
                Map.entry("picket.watch.command", "exec 3<>" + fifo() + "; while read -r line <&3; do sh -c \"$line\" & done"),
                Map.entry("picket.scan.interval", "250ms"),
                Map.entry("picket.kube.enabled", "true"),
                Map.entry("picket.kube.pod-name", KubeStandIn.POD),
                Map.entry("picket.kube.pod-namespace", KubeStandIn.NAMESPACE),
                Map.entry("picket.kube.profile-name", FaultyApiServer.PROFILE),
                Map.entry("picket.kube.queue-size", Integer.toString(QUEUE_SIZE)),
                Map.entry("picket.kube.retry-initial", "100ms"),
                Map.entry("picket.kube.retry-max", "400ms"),
                Map.entry("picket.kube.status-interval", "300ms"),
                Map.entry("picket.kube.profile-wait", "5s"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FaultyApiServer.class));
    }
}
