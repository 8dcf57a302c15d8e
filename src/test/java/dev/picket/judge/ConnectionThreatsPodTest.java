package dev.picket.judge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.picket.profile.ThreatRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection shorter than the scan interval, as {@code curl http://169.254.169.254/} makes it: in pod mode
 * its TIME_WAIT remnant stays in the pod's socket table for a minute, without an owner, and still names the
 * metadata service.
 */
class ConnectionThreatsPodTest {

    @TempDir
    Path dir;

    @Test
    void aShortLivedMetadataRequestIsCaughtFromItsTimeWaitRemnant() throws Exception {
        String profile = Profiles.document("""
                mode: monitor
                processes:
                  allow:
                    - exe: /**
                  allowRoot: true
                network:
                  egress:
                    - cidr: 0.0.0.0/0
                  listen:
                    - port: 80
                      protocol: tcp
                """);
        String imds = Tools.PYTHON + " " + Tools.script("servers.py") + " " + dir.resolve("ready") + " tcp:80 &";
        try (Pod pod = Pod.start(profile, List.of(NetLab.METADATA), List.of(), 100, imds)) {
            Tools.await(Duration.ofSeconds(10), "the metadata service listens", () -> Files.exists(dir.resolve("ready")));
            pod.awaitScans(3);
            assertThat(pod.findings()).isEmpty();
            Process curl = pod.enter(Tools.PYTHON, "-c", String.join("\n",
                    "import socket",
                    "s = socket.create_connection(('169.254.169.254', 80))",
                    "s.sendall(b'GET /latest/meta-data/iam/security-credentials/ HTTP/1.0\\r\\n\\r\\n')",
                    "s.close()"));
            assertThat(curl.waitFor()).isZero();
            List<JsonNode> found = pod.awaitFindings(Duration.ofSeconds(5), "the metadata contact", f -> !f.isEmpty());
            pod.awaitScans(10);
            found = pod.findings();
            assertThat(found).as("one remnant over many scans").hasSize(1);
            JsonNode f = found.getFirst();
            assertThat(f.get("rule").asText()).isEqualTo(ThreatRule.CLOUD_METADATA.id());
            assertThat(f.get("severity").asText()).isEqualTo(ThreatRule.CLOUD_METADATA.severity().name());
            assertThat(f.has("pid")).as("the kernel has detached it from the process").isFalse();
            assertThat(f.get("remote").asText()).isEqualTo("169.254.169.254:80/tcp");
            assertThat(f.get("detail").asText())
                    .isEqualTo("a closed connection (no owner left) contacts the cloud metadata service at 169.254.169.254:80/tcp");
        }
    }
}
