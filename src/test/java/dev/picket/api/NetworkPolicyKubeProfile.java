package dev.picket.api;

import dev.picket.kube.KubeStandIn;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Picket as the sidecar of pod shop/web-1 against the kube tests' stand-in API server (a fresh one: this profile
 * starts its own), on ports 21788/21789 with a state directory of its own.
 */
public class NetworkPolicyKubeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        var state = NetworkPolicyProfile.dir().resolve("kube-state");
        try {
            if (Files.exists(state)) {
                try (var files = Files.walk(state)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.http.test-port", Integer.toString(NetworkPolicyProfile.CONTROL),
                "quarkus.management.test-port", Integer.toString(NetworkPolicyProfile.MANAGEMENT),
                "picket.state.dir", state.toString(),
                "picket.kube.enabled", "true",
                "picket.kube.pod-name", "web-1",
                "picket.kube.pod-namespace", "shop",
                "picket.kube.retry-initial", "100ms",
                "picket.kube.retry-max", "400ms",
                "picket.kube.status-interval", "300ms",
                "picket.kube.profile-wait", "5s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KubeStandIn.class));
    }
}
