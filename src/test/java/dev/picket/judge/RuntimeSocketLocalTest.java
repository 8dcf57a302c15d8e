package dev.picket.judge;

import dev.picket.profile.ThreatRule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * runtime-socket: a container runtime's unix socket at a known path. The spawner's tree has a private
 * mount namespace with an empty tmpfs on /run, so the socket the test binds there never touches the host.
 */
class RuntimeSocketLocalTest {

    @BeforeEach
    void tools() {
        Tools.requireTools("unshare");
    }

    private static String serve(String path) {
        return String.join("\n",
                "import os, socket, time",
                "os.makedirs(os.path.dirname('" + path + "'), exist_ok=True)",
                "s = socket.socket(socket.AF_UNIX); s.bind('" + path + "'); s.listen()",
                "time.sleep(600)");
    }

    @Test
    void aRuntimeSocketServedAndReachableInTheFilesystemIsReportedOnce() {
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            long app = root.spawn(Tools.PYTHON, "-c", serve("/run/app/app.sock"));
            w.scanFor(Duration.ofMillis(800));
            assertThat(w.last().unix()).as("an ordinary unix socket is seen").isNotEmpty();
            assertThat(w.findings()).as("an application's own socket").isEmpty();

            long runtime = root.spawn(Tools.PYTHON, "-c", serve("/run/containerd/containerd.sock"));
            w.until(Duration.ofSeconds(5), "served and reachable",
                    x -> x.findings().stream().anyMatch(f -> f.key().contains("|served|"))
                            && x.findings().stream().anyMatch(f -> f.key().contains("|mounted|")));
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.findings()).allSatisfy(f -> Expect.threat(f, ThreatRule.RUNTIME_SOCKET));
            Finding served = w.findings().stream().filter(f -> f.key().contains("|served|")).findFirst().orElseThrow();
            assertThat(served.subject().pid()).isEqualTo((int) runtime);
            assertThat(served.detail()).isEqualTo("a container runtime socket /run/containerd/containerd.sock is open in"
                    + " the pod's network namespace, held by " + Tools.python() + " (pid " + runtime + ")");
            Finding mounted = w.findings().stream().filter(f -> f.key().contains("|mounted|")).findFirst().orElseThrow();
            assertThat(mounted.detail()).startsWith("the container runtime socket ")
                    .contains("/run/containerd/containerd.sock is reachable in the filesystem of ")
                    .endsWith(" and its container");
            assertThat(w.findings()).as("one socket, one violation for serving it, one for reaching it").hasSize(2);
            assertThat(app).isPositive();
        }
    }
}
