package dev.picket.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sidecar in a real pod-like sandbox ({@link Pod}): UID 65532 with the injector's ambient capabilities
 * ({@code CAP_KILL}, {@code CAP_SYS_PTRACE}), state directory 0700, next to a neighbour running as UID 1000 without capabilities, which
 * is what a compromised application container is when it runs as non-root (docs/threat-model.md).
 */
class TamperResistanceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aNeighbourOfAnotherUidCannotSignalTraceReadOrWriteThePicket() throws Exception {
        try (Pod pod = Pod.start(true, "500ms")) {
            pod.neighbour("python3 tamper.py " + pod.picketPodPid() + " " + pod.state + " "
                    + dev.picket.testing.PicketProcess.jar() + " > tamper.json 2>&1");
            JsonNode r = JSON.readTree(pod.awaitOutput("tamper.json", Duration.ofSeconds(20)));
            Map<String, String> results = new TreeMap<>();
            r.fields().forEachRemaining(e -> results.put(e.getKey(), e.getValue().asText()));
            assertThat(results).containsEntry("uid", Integer.toString(Pod.NEIGHBOUR_UID))
                    .containsEntry("capEff", "0000000000000000");
            for (String sig : List.of("SIGKILL", "SIGSTOP", "SIGTERM", "SIGINT", "SIGQUIT")) {
                assertThat(results).as("kill(2) with " + sig).containsEntry("kill " + sig, "EPERM");
            }
            assertThat(results).containsEntry("ptrace attach", "EPERM").containsEntry("ptrace seize", "EPERM")
                    .containsEntry("read /proc/pid/mem", "EACCES").containsEntry("read /proc/pid/environ", "EACCES")
                    .containsEntry("list /proc/pid/fd", "EACCES")
                    .containsEntry("read token via /proc/pid/root", "EACCES")
                    .containsEntry("read token", "EACCES").containsEntry("list state dir", "EACCES")
                    .containsEntry("write quarantine.json", "EACCES")
                    .containsEntry("create a file in the state dir", "EACCES")
                    .containsEntry("remove the state dir", "EACCES")
                    .containsEntry("write the jar", "EACCES").containsEntry("write the jar's directory", "EACCES");
            assertThat(results.get("replace the token")).isIn("EACCES", "ENOENT", "EPERM");
            assertThat(results.values()).doesNotContain("ok");
            // Picket is unharmed and its files are what it wrote
            assertThat(pod.probe("/q/health/live", Duration.ofSeconds(2))).isEqualTo(200);
            assertThat(pod.probe("/q/health/ready", Duration.ofSeconds(2))).isEqualTo(200);
            assertThat(Files.getOwner(pod.state.resolve("control-token")).getName()).isIn("65532", "nonroot");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(pod.state.resolve("control-token")))).isEqualTo("rw-------");
            try (var files = Files.list(pod.state)) {
                assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("planted", "quarantine.json");
            }
            // what the sidecar needs of the neighbour, it can read, and it says nothing is missing
            JsonNode status = pod.control("/v1/status");
            assertThat(status.get("capabilities").toString()).contains("CAP_KILL").contains("CAP_SYS_PTRACE")
                    .doesNotContain("CAP_DAC_READ_SEARCH");
            assertThat(status.get("blindSpots")).isEmpty();
        }
    }

    /**
     * Root in the application container with the capabilities Docker and containerd give by default (CAP_KILL and
     * CAP_DAC_OVERRIDE among them, no CAP_SYS_PTRACE): it may signal Picket (the documented lever), but it cannot
     * trace it, read its memory or environment, or reach its files through {@code /proc/<picket>/root}. (Its own
     * view of Picket's state directory is not tested here: in a pod that directory is in another mount namespace;
     * the sandbox shares one.)
     */
    @Test
    void rootWithTheRuntimesDefaultCapabilitiesCanSignalButNotTraceOrReadThePicket() throws Exception {
        try (Pod pod = Pod.start(true, "500ms")) {
            Process p = new ProcessBuilder("setpriv", "--bounding-set=-all,+chown,+dac_override,+fowner,+fsetid,+kill,"
                    + "+setgid,+setuid,+setpcap,+net_bind_service,+net_raw,+sys_chroot,+mknod,+audit_write,+setfcap",
                    "--inh-caps=-all", "python3", pod.shared.resolve("tamper.py").toString(),
                    Long.toString(pod.picketHostPid()), pod.state.toString(), dev.picket.testing.PicketProcess.jar().toString(),
                    "--signal-0-only").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            assertThat(p.waitFor()).as(out).isZero();
            JsonNode r = JSON.readTree(out);
            assertThat(r.path("uid").asText()).isEqualTo("0");
            assertThat(r.path("kill 0").asText()).as("CAP_KILL: signals are allowed").isEqualTo("ok");
            assertThat(r.path("ptrace attach").asText()).isEqualTo("EPERM");
            assertThat(r.path("ptrace seize").asText()).isEqualTo("EPERM");
            assertThat(r.path("read /proc/pid/mem").asText()).isEqualTo("EACCES");
            assertThat(r.path("read /proc/pid/environ").asText()).isEqualTo("EACCES");
            assertThat(r.path("read token via /proc/pid/root").asText()).isEqualTo("EACCES");
            assertThat(r.path("write the jar via /proc/pid/root").asText()).isEqualTo("EACCES");
            assertThat(r.path("list state dir via /proc/pid/root").asText()).isEqualTo("EACCES");
            assertThat(r.has("write the jar")).as("no write by the jar's own path: %s", r).isFalse();
            assertThat(pod.probe("/q/health/live", Duration.ofSeconds(2))).isEqualTo(200);
        }
    }

    /**
     * A neighbour floods /proc with 2 000 processes and 3 000 sockets, then runs ten executables from a writable
     * directory (threat {@code exec-from-writable-dir}), one after another, each living three intervals: every one
     * is reported with its pid and executable.
     */
    @Test
    void aFloodOfProcessesAndSocketsDoesNotHideAForbiddenProcess() throws Exception {
        try (Pod pod = Pod.start(true, "500ms")) {
            pod.neighbour("python3 flood.py 2000 3000 stop > flood.out 2>&1");
            assertThat(pod.awaitOutput("flood.out", Duration.ofSeconds(90))).startsWith("ready 2000 3000");
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    pod.control("/v1/status").at("/lastScan/processes").asInt() >= 2000);
            List<String> evil = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String exe = pod.shared.resolve("evil-" + i).toString();
                evil.add(exe);
                pod.neighbour("cp /bin/sleep " + exe + " && exec " + exe + " 1.5");
                Thread.sleep(400 + (long) (Math.random() * 600));
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<String> reported = pod.violations().stream()
                        .filter(v -> "exec-from-writable-dir".equals(v.path("rule").asText()))
                        .map(v -> v.path("exe").asText()).toList();
                assertThat(reported).containsAll(evil);
            });
            JsonNode status = pod.control("/v1/status");
            assertThat(status.at("/lastScan/processes").asInt()).isGreaterThanOrEqualTo(2000);
            String metrics = pod.management("/q/metrics");
            assertThat(metrics).contains("picket_scans_total");
            Files.writeString(pod.shared.resolve("stop"), "");
        }
    }

    /**
     * What the kubelet's probes see when the sidecar dies or hangs: after SIGKILL nothing listens, so both probes
     * are refused; under SIGSTOP the kernel still accepts the connection but nothing answers, so both probes time
     * out (the kubelet's timeoutSeconds, 1 s by default, counts as a failure). Either way the pod leaves its
     * Services' endpoints and the kubelet restarts the sidecar; after SIGCONT both answer again.
     */
    @Test
    void probesFailWhenThePicketIsStoppedOrKilled() throws Exception {
        try (Pod pod = Pod.start(true, "500ms")) {
            assertThat(pod.probe("/q/health/live", Duration.ofSeconds(1))).isEqualTo(200);
            pod.signal("STOP");
            Thread.sleep(300);
            assertThat(pod.probe("/q/health/live", Duration.ofSeconds(1))).as("liveness of a stopped Picket").isEqualTo(-2);
            assertThat(pod.probe("/q/health/ready", Duration.ofSeconds(1))).as("readiness of a stopped Picket").isEqualTo(-2);
            pod.signal("CONT");
            await().atMost(Duration.ofSeconds(10)).until(() -> pod.probe("/q/health/live", Duration.ofSeconds(1)) == 200);
            await().atMost(Duration.ofSeconds(10)).until(() -> pod.probe("/q/health/ready", Duration.ofSeconds(1)) == 200);
            pod.signal("KILL");
            await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(pod.picketHostPid()).isEmpty()
                    || !ProcessHandle.of(pod.picketHostPid()).get().isAlive());
            assertThat(pod.probe("/q/health/live", Duration.ofSeconds(1))).as("liveness of a killed Picket").isEqualTo(-1);
            assertThat(pod.probe("/q/health/ready", Duration.ofSeconds(1))).as("readiness of a killed Picket").isEqualTo(-1);
        }
    }

    /**
     * The visibility contract: the sidecar as UID 65532 cannot read what the kernel keeps from another UID, and says
     * so, per field, instead of reporting a quiet workload. Without capabilities: no executable, fds or environment
     * of the neighbour's processes (UID 1000); /v1/status lists neither CAP_SYS_PTRACE nor the others, and the blind
     * spots; /v1/observed leaves the executable empty and counts what it could not read. With the injector's CAP_KILL
     * and CAP_SYS_PTRACE (not CAP_DAC_READ_SEARCH), the executable, the fds and the environment are seen:
     * /proc/PID/fd and /proc/PID/environ are mode 0500/0400 of the process's owner, and the kernel checks that before
     * ptrace access, so Picket reads /proc/PID/fdinfo and the process's memory (process_vm_readv) instead, which
     * only ptrace access guards; only the I/O counters (/proc/PID/io, 0400) stay unread, and no blind spot is named.
     * With CAP_DAC_READ_SEARCH too (which the injector does not give: docs/injector.md) nothing is missing.
     */
    @Test
    void withoutCapabilitiesThePicketReportsExactlyWhatItCannotSee() throws Exception {
        try (Pod pod = Pod.start(false, "500ms")) {
            pod.neighbour("exec sleep 300.75");
            JsonNode sleep = await().atMost(Duration.ofSeconds(15)).until(() -> neighbourSleep(pod), s -> s != null);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonNode status = pod.control("/v1/status");
                assertThat(status.get("capabilities").toString()).doesNotContain("CAP_SYS_PTRACE").doesNotContain("CAP_KILL");
                String blind = status.get("blindSpots").toString();
                assertThat(blind).contains("the executable of").contains("the fds of").contains("the environment of");
            });
            assertThat(sleep.path("uid").path("real").asInt()).isEqualTo(Pod.NEIGHBOUR_UID);
            assertThat(sleep.path("exe").isMissingNode() || sleep.path("exe").isNull())
                    .as("no executable is invented: %s", sleep).isTrue();
            assertThat(sleep.path("unavailable").toString()).contains("exe").contains("fds").contains("environ");
            JsonNode byField = pod.control("/v1/observed").at("/visibility/unavailableByField");
            assertThat(byField.path("exe: permission").asInt()).isPositive();
            assertThat(byField.path("fds: permission").asInt()).isPositive();
            assertThat(byField.path("environ: permission").asInt()).isPositive();
        }
        try (Pod pod = Pod.start(true, "500ms")) {
            pod.neighbour("exec sleep 300.75");
            JsonNode sleep = await().atMost(Duration.ofSeconds(15)).until(() -> neighbourSleep(pod),
                    s -> s != null && s.path("exe").isObject());
            assertThat(sleep.path("exe").path("path").asText()).endsWith("/sleep");
            assertThat(sleep.path("unavailable").toString()).doesNotContain("exe").doesNotContain("fds")
                    .doesNotContain("environ").contains("io");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode status = pod.control("/v1/status");
                assertThat(status.get("capabilities").toString()).contains("CAP_SYS_PTRACE")
                        .doesNotContain("CAP_DAC_READ_SEARCH");
                assertThat(status.get("blindSpots")).isEmpty();
            });
        }
        try (Pod pod = Pod.start(true, "500ms", "+dac_read_search")) {
            pod.neighbour("exec sleep 300.75");
            JsonNode sleep = await().atMost(Duration.ofSeconds(15)).until(() -> neighbourSleep(pod),
                    s -> s != null && s.path("exe").isObject());
            assertThat(sleep.path("exe").path("path").asText()).endsWith("/sleep");
            assertThat(sleep.path("unavailable").isMissingNode() || sleep.path("unavailable").isEmpty())
                    .as("%s", sleep).isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode status = pod.control("/v1/status");
                assertThat(status.get("capabilities").toString()).contains("CAP_DAC_READ_SEARCH").contains("CAP_SYS_PTRACE");
                assertThat(status.get("blindSpots")).isEmpty();
            });
        }
    }

    private static JsonNode neighbourSleep(Pod pod) throws Exception {
        for (JsonNode p : pod.control("/v1/observed").get("processes")) {
            if (p.path("argv").toString().contains("300.75")) {
                return p;
            }
        }
        return null;
    }
}
