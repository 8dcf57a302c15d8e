package dev.picket.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.picket.testing.Host;
import dev.picket.testing.Sandbox;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Picket's scanner and a workload in one pod-like sandbox (own PID namespace with its own /proc, own
 * network namespace), the scanner a sibling of the workload under a pid 1 that plays the pause process.
 */
class PodSandboxTest {

    @Test
    void podModeWatchesTheNeighbourNotItselfAndCountsShortLivedProcesses() throws Exception {
        Host.requireRoot();
        Host.requireCommand("python3");
        Path dir = Files.createTempDirectory("picket-pod");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        String script = String.join("\n",
                "python3 -c \"import socket,time; s=socket.socket(); s.bind(('127.0.0.1', 8000)); s.listen(); time.sleep(310)\" &",
                "sleep 309 &",
                "'" + java + "' -cp '" + cp + "' " + SandboxScanMain.class.getName() + " " + dir + " &",
                "while [ ! -f " + dir + "/ready ]; do sleep 0.05; done",
                "for i in $(seq 50); do /bin/true; done",
                "touch " + dir + "/go",
                "wait");
        try (Sandbox sandbox = Sandbox.start(true, script)) {
            Path second = dir.resolve("second.json");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(second) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(second).as("the sandboxed scanner wrote its snapshot").exists();
            JsonNode snap = new ObjectMapper().readTree(second.toFile());

            JsonNode scope = snap.get("scope");
            assertThat(scope.get("kind").asText()).isEqualTo("POD");
            int self = scope.get("selfPid").asInt();
            assertThat(scope.get("excludedAncestors").toString()).isEqualTo("[1]");

            List<String> argvs = new ArrayList<>();
            List<Integer> pids = new ArrayList<>();
            for (JsonNode p : snap.get("processes")) {
                pids.add(p.get("pid").asInt());
                argvs.add(p.get("argv").get("args").toString());
            }
            assertThat(pids).doesNotContain(self, 1);
            assertThat(argvs).anyMatch(a -> a.contains("309"));
            assertThat(argvs).anyMatch(a -> a.contains("socket"));
            assertThat(argvs).noneMatch(a -> a.contains(SandboxScanMain.class.getName()));

            JsonNode forks = snap.get("forks");
            assertThat(forks.get("source").asText()).isEqualTo("PID_NAMESPACE");
            assertThat(forks.get("sinceLastScan").asLong()).isGreaterThanOrEqualTo(50);

            List<Integer> listenPorts = new ArrayList<>();
            for (JsonNode l : snap.get("listeners")) {
                listenPorts.add(l.get("local").get("port").asInt());
                assertThat(l.get("ownerPid").asInt()).isPositive();
            }
            // the workload's listener is there, Picket's own (7788) is not
            assertThat(listenPorts).containsExactly(8000);
        }
    }
}
