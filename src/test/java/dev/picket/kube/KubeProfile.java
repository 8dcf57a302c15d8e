package dev.picket.kube;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Picket as the sidecar of pod shop/web-1, against {@link KubeStandIn}. Random ports (the test asks Quarkus
 * which) and its own state directory under the build directory, so it runs beside other Quarkus tests, and
 * beside another build running this very test.
 */
public class KubeProfile implements QuarkusTestProfile {

    static final int QUEUE_SIZE = 24;

    /** {@code <build dir>/kube-test-state}: the build directory is where the test classes are. */
    static Path stateDir() {
        try {
            Path classes = Path.of(KubeProfile.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent().resolve("kube-test-state");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Path state = stateDir();
        try {
            if (Files.exists(state)) {
                try (var files = Files.walk(state)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.ofEntries(
                Map.entry("quarkus.http.test-port", "0"),
                Map.entry("quarkus.management.test-port", "0"),
                Map.entry("picket.state.dir", stateDir().toString()),
                Map.entry("picket.kube.enabled", "true"),
                Map.entry("picket.kube.pod-name", KubeStandIn.POD),
                Map.entry("picket.kube.pod-namespace", KubeStandIn.NAMESPACE),
                Map.entry("picket.kube.queue-size", Integer.toString(QUEUE_SIZE)),
                Map.entry("picket.kube.retry-initial", "100ms"),
                Map.entry("picket.kube.retry-max", "400ms"),
                Map.entry("picket.kube.status-interval", "300ms"),
                Map.entry("picket.kube.auth-cache-ttl", "1s"),
                Map.entry("picket.kube.profile-wait", "5s"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KubeStandIn.class));
    }
}
