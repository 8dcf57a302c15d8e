package dev.picket.api;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Picket learning next to a real server on 127.0.0.1:{@value #APP_PORT}, from a profile file that names the workload's
 * pods by {@code spec.selector}. Ports 21788/21789 and a state directory of its own under the build directory, so it
 * runs beside the other Quarkus tests and another build.
 */
public class NetworkPolicyProfile implements QuarkusTestProfile {

    static final int CONTROL = 21788;
    static final int MANAGEMENT = 21789;
    static final int APP_PORT = 21790;

    static Path dir() {
        try {
            Path classes = Path.of(NetworkPolicyProfile.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent().resolve("networkpolicy-test");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path state() {
        return dir().resolve("state");
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Files.createDirectories(dir());
            Path profile = dir().resolve("profile.yaml");
            Files.writeString(profile, """
                    apiVersion: picket.dev/v1alpha1
                    kind: WorkloadProfile
                    metadata:
                      name: np-web
                    spec:
                      selector:
                        matchLabels:
                          app: np-web
                      mode: learn
                    """);
            return Map.of(
                    "quarkus.http.test-port", Integer.toString(CONTROL),
                    "quarkus.management.test-port", Integer.toString(MANAGEMENT),
                    "picket.state.dir", state().toString(),
                    "picket.profile.path", profile.toString(),
                    "picket.watch.command", "exec python3 -m http.server " + APP_PORT + " --bind 127.0.0.1",
                    "picket.scan.interval", "200ms");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
