package dev.picket.kube;

import dev.picket.profile.ActiveProfile;
import dev.picket.profile.Mode;
import dev.picket.profile.Severity;
import dev.picket.profile.ViolationKind;
import dev.picket.respond.QuarantineRecord;
import dev.picket.respond.QuarantineState;
import dev.picket.testing.Host;
import dev.picket.verdict.Violation;
import dev.picket.verdict.ViolationAction;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An enforcing sidecar against an API server that is slow (seconds per call), answers 409, 429 and 500, or is gone,
 * at start and while running ({@link FaultyApiServer}). Enforcement never waits for it: a forbidden process is killed
 * within a few intervals and a quarantine takes readiness down at once (at most {@code label-timeout} later);
 * whatever the bounded queue holds is delivered once the API server answers, and what it cannot hold is counted in
 * {@code picket_kube_dropped_total}. The tests build on each other, in order.
 */
@QuarkusTest
@TestProfile(KubeFaultProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubeFaultsQuarkusTest {

    static final String NS = KubeStandIn.NAMESPACE;
    static final String EVENTS = "/apis/events.k8s.io/v1/namespaces/" + NS + "/events";
    static final String POD_PATH = "/api/v1/namespaces/" + NS + "/pods/" + KubeStandIn.POD;
    static final Duration WAIT = Duration.ofSeconds(30);

    FaultyApiServer.Handle api;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Inject
    ActiveProfile active;
    @Inject
    QuarantineState quarantine;
    @Inject
    KubeRuntime runtime;
    @Inject
    jakarta.enterprise.event.Event<Violation> violations;

    @BeforeEach
    void linux() {
        Host.requireRoot();
    }

    private String management(String path) {
        return management.getProtocol() + "://" + management.getHost() + ":" + management.getPort() + path;
    }

    private int ready() {
        return RestAssured.get(management("/q/health/ready")).statusCode();
    }

    private double dropped(String reason) {
        return RestAssured.get(management("/q/metrics")).asString().lines()
                .filter(l -> l.startsWith("picket_kube_dropped_total{") && l.contains("\"" + reason + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private Pod pod() {
        return api.server().getClient().pods().inNamespace(NS).withName(KubeStandIn.POD).get();
    }

    private boolean labelled() {
        Map<String, String> labels = pod().getMetadata().getLabels();
        return labels != null && "true".equals(labels.get(QuarantineLabel.LABEL));
    }

    private List<String> eventNotes() {
        return api.server().getClient().events().v1().events().inNamespace(NS).list().getItems().stream()
                .map(Event::getNote).toList();
    }

    private static void run(String command) throws IOException {
        Files.writeString(KubeFaultProfile.fifo(), command + "\n", StandardOpenOption.APPEND);
    }

    /** The pid a command wrote to its file, or 0 while the file is not there yet. */
    private static long writtenPid(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Exited, or a zombie the watched shell has not reaped yet. */
    private static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }

    /** Starts a forbidden process (bash is not in the profile) and waits until the sidecar has killed it. */
    private Duration forbiddenProcessIsKilled(String marker) throws IOException {
        // the shell writes its pid, then execs bash in the same process: the test knows the pid before the sidecar
        // can kill it (searching every process of a busy machine for it could take longer than the kill)
        Path pidFile = KubeFaultProfile.dir().resolve(marker + ".pid");
        run("echo $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile
                + " && exec /bin/bash -c 'sleep 61.5 & wait' " + marker);
        long bash = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> writtenPid(pidFile), pid -> pid > 0);
        long seen = System.nanoTime();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10)).until(() -> gone(bash));
        return Duration.ofNanos(System.nanoTime() - seen);
    }

    private static Violation violation(String rule) {
        return new Violation("v-" + rule + "-" + System.nanoTime(), Instant.now(), ViolationKind.PROCESS, rule,
                Severity.HIGH, null, 4242, 1, 99L, "/usr/bin/nc", List.of("nc"), 1000, null,
                "exec of /usr/bin/nc is not allowed by the profile", Mode.ENFORCE, ViolationAction.REPORTED, null,
                FaultyApiServer.PROFILE + "@1");
    }

    /** Quarantines as the responder does and returns how long it took until readiness was down. */
    private Duration quarantineTakesReadinessDown(String reason) {
        assertThat(ready()).isEqualTo(200);
        long start = System.nanoTime();
        quarantine.quarantine(new QuarantineRecord(reason, Instant.now(), "v-" + reason.hashCode(), "test", null));
        assertThat(ready()).isEqualTo(503);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private void release() {
        await().atMost(WAIT).until(() -> KubeStateFiles.labelSeen(KubeFaultProfile.state()));
        api.server().getClient().pods().inNamespace(NS).withName(KubeStandIn.POD).edit(p -> {
            p.getMetadata().getLabels().remove(QuarantineLabel.LABEL);
            return p;
        });
        await().atMost(WAIT).until(() -> ready() == 200);
    }

    @Test
    @Order(1)
    void startsAgainstASlowApiServerWithinTheProfileWaitAndAppliesTheProfileWhenItArrives() throws Exception {
        // the start-up check waits for the profile at most profile-wait (5 s), however slow the API server
        await().atMost(Duration.ofSeconds(8)).until(() ->
                RestAssured.get(management("/q/health/started")).statusCode() == 200);
        await().atMost(WAIT).until(() -> active.source().equals("WorkloadProfile shop/" + FaultyApiServer.PROFILE));
        assertThat(active.current().mode()).isEqualTo(Mode.ENFORCE);
        api.proxy().latency(Duration.ZERO);
        assertThat(runtime.awaitDelivered(WAIT)).isTrue();
    }

    @Test
    @Order(2)
    void aSlowApiServerDoesNotSlowEnforcement() throws Exception {
        api.proxy().latency(Duration.ofSeconds(3));
        try {
            assertThat(forbiddenProcessIsKilled("slow-api-forbidden")).isLessThan(Duration.ofSeconds(2));
            assertThat(quarantineTakesReadinessDown("while the API server is slow"))
                    .as("label-timeout bounds the wait").isLessThan(Duration.ofMillis(2800));
        } finally {
            api.proxy().latency(Duration.ZERO);
        }
        await().atMost(WAIT).until(this::labelled);
        release();
    }

    @Test
    @Order(3)
    void errorAnswersAreRetriedAndNothingIsLost() throws Exception {
        assertThat(runtime.awaitDelivered(WAIT)).isTrue();
        double full = dropped("queue_full");
        double rejected = dropped("rejected");
        var server = api.server();
        server.expect().post().withPath(EVENTS).andReturn(500, Map.of("kind", "Status", "code", 500)).times(3);
        server.expect().post().withPath(EVENTS).andReturn(429, Map.of("kind", "Status", "code", 429)).times(2);
        server.expect().patch().withPath(POD_PATH).andReturn(409, Map.of("kind", "Status", "code", 409)).times(2);
        server.expect().patch().withPath(POD_PATH).andReturn(500, Map.of("kind", "Status", "code", 500)).once();
        for (int i = 0; i < 5; i++) {
            violations.fire(violation("api-errors-" + i));
        }
        assertThat(quarantineTakesReadinessDown("while the API server answers errors"))
                .isLessThan(Duration.ofMillis(2800));
        assertThat(forbiddenProcessIsKilled("api-errors-forbidden")).isLessThan(Duration.ofSeconds(2));
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> notes = eventNotes();
            for (int i = 0; i < 5; i++) {
                String rule = "api-errors-" + i;
                assertThat(notes).anySatisfy(n -> assertThat(n).contains("rule " + rule + ":"));
            }
        });
        await().atMost(WAIT).until(this::labelled);
        assertThat(dropped("queue_full")).isEqualTo(full);
        assertThat(dropped("rejected")).as("409, 429 and 500 are retried, not dropped").isEqualTo(rejected);
        release();
    }

    @Test
    @Order(4)
    void whatAnUnreachableApiServerCannotHoldIsCountedAndEnforcementGoesOn() throws Exception {
        assertThat(runtime.awaitDelivered(WAIT)).isTrue();
        double before = dropped("queue_full");
        int fired = KubeFaultProfile.QUEUE_SIZE + 8;
        api.proxy().down();
        try {
            for (int i = 0; i < fired; i++) {
                violations.fire(violation("unreachable-" + i));
            }
            assertThat(forbiddenProcessIsKilled("unreachable-forbidden")).isLessThan(Duration.ofSeconds(2));
            assertThat(quarantineTakesReadinessDown("while the API server is gone")).isLessThan(Duration.ofMillis(2800));
            assertThat(dropped("queue_full") - before).as("what did not fit is counted").isGreaterThanOrEqualTo(8);
        } finally {
            api.proxy().up();
        }
        await().atMost(WAIT).until(this::labelled);
        assertThat(runtime.awaitDelivered(WAIT)).isTrue();
        long delivered = eventNotes().stream().filter(n -> n.contains("rule unreachable-")).count();
        double droppedNow = dropped("queue_full") - before;
        assertThat(delivered + droppedNow).as("every event was delivered or counted as dropped (%d delivered)", delivered)
                .isGreaterThanOrEqualTo(fired);
        assertThat(delivered).as("what the queue held was delivered").isGreaterThanOrEqualTo(KubeFaultProfile.QUEUE_SIZE - 1);
        release();
    }
}
