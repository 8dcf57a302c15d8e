package dev.picket.kube;

import dev.picket.profile.ActiveProfile;
import dev.picket.profile.Mode;
import dev.picket.profile.Severity;
import dev.picket.profile.ViolationKind;
import dev.picket.profile.WorkloadProfile;
import dev.picket.profile.WorkloadProfileStatus;
import dev.picket.respond.QuarantineRecord;
import dev.picket.respond.QuarantineState;
import dev.picket.verdict.Violation;
import dev.picket.verdict.ViolationAction;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Picket as the sidecar of pod shop/web-1 against the mock API server ({@link KubeStandIn}): profile selection,
 * live updates and refusals, Events and their series, the quarantine label (set before readiness goes down,
 * restored after a restart, removed to release), the API-checked control endpoint, and an API server that goes
 * away and comes back. The tests build on each other, in order.
 */
@QuarkusTest
@TestProfile(KubeProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesQuarkusTest {

    static final String NS = KubeStandIn.NAMESPACE;
    static final Duration WAIT = Duration.ofSeconds(15);

    KubeStandIn.Handle kube;

    @TestHTTPResource("/")
    URL control;
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Inject
    ActiveProfile active;
    @Inject
    KubeRuntime runtime;
    @Inject
    QuarantineState quarantine;
    @Inject
    jakarta.enterprise.event.Event<Violation> violations;

    private WorkloadProfile wp(String name) {
        return kube.client().resources(WorkloadProfile.class).inNamespace(NS).withName(name).get();
    }

    private WorkloadProfileStatus status(String name) {
        WorkloadProfile p = wp(name);
        return p.getStatus() == null ? new WorkloadProfileStatus() : p.getStatus();
    }

    private List<Event> events(String reason) {
        return kube.client().events().v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    /**
     * An operator's edit of profile web. The sidecar writes the profile's status meanwhile, so an edit based on a
     * read a moment old can meet 409 Conflict; like any client of a controller-owned object, read again and retry.
     */
    private void editProfile(java.util.function.UnaryOperator<WorkloadProfile> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                kube.client().resources(WorkloadProfile.class).inNamespace(NS).withName("web").edit(change);
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private Pod pod() {
        return kube.client().pods().inNamespace(NS).withName(KubeStandIn.POD).get();
    }

    /** The management interface's origin (the injected URL may carry its root path, /q). */
    private String management(String path) {
        return management.getProtocol() + "://" + management.getHost() + ":" + management.getPort() + path;
    }

    private int ready() {
        return RestAssured.get(management("/q/health/ready")).statusCode();
    }

    private Response call(String token, String method, String path, String body) {
        var spec = RestAssured.given();
        if (token != null) {
            spec = spec.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            spec = spec.body(body).contentType(path.equals("/v1/mode") ? "text/plain" : "application/json");
        }
        return spec.request(method, control.getProtocol() + "://" + control.getHost() + ":" + control.getPort() + path);
    }

    private static Violation violation(String rule, String exe) {
        return new Violation("v-" + rule + "-" + System.nanoTime(), Instant.now(), ViolationKind.PROCESS, rule,
                Severity.HIGH, null, 4242, 1, 99L, exe, List.of(exe), 1000, null,
                "exec of " + exe + " is not allowed by the profile", Mode.MONITOR, ViolationAction.REPORTED, null,
                "web@1");
    }

    @Test
    @Order(1)
    void selectsTheProfileWhoseSelectorMatchesThePodAndReportsItInTheStatus() {
        await().atMost(WAIT).until(() -> active.source().equals("WorkloadProfile shop/web"));
        assertThat(active.current().mode()).isEqualTo(Mode.MONITOR);
        assertThat(RestAssured.get(management("/q/health/started")).statusCode()).isEqualTo(200);
        await().atMost(WAIT).untilAsserted(() -> {
            WorkloadProfileStatus s = status("web");
            assertThat(s.getPods()).containsExactly(KubeStandIn.POD);
            assertThat(s.getPodCount()).isEqualTo(1);
            assertThat(s.getObservedGeneration()).isEqualTo(wp("web").getMetadata().getGeneration());
            assertThat(s.getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Accepted");
                assertThat(c.getStatus()).isEqualTo("True");
            });
        });
    }

    @Test
    @Order(2)
    void appliesAChangedProfileLive() {
        long generation = active.generation();
        editProfile(p -> {
            p.getSpec().setMode(Mode.LEARN);
            p.getSpec().setThreats(new dev.picket.profile.ThreatsSpec(List.of("kube-api-contact")));
            return p;
        });
        await().atMost(WAIT).until(() -> active.current().mode() == Mode.LEARN);
        assertThat(active.generation()).isEqualTo(generation + 1);
        assertThat(active.current().threatEnabled("kube-api-contact")).isFalse();
        long specGeneration = wp("web").getMetadata().getGeneration();
        await().atMost(WAIT).until(() -> Long.valueOf(specGeneration).equals(status("web").getObservedGeneration()));
    }

    @Test
    @Order(3)
    void refusesAnInvalidChangeWithAnEventAndAConditionAndKeepsTheLastGoodProfile() {
        long generation = active.generation();
        editProfile(p -> {
            p.getSpec().setMode(Mode.ENFORCE);
            p.getSpec().setNetwork(new dev.picket.profile.NetworkSpec(List.of(
                    new dev.picket.profile.EgressRuleSpec("10.0.0.0/33", null, null)), null));
            return p;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(events(PodEvents.PROFILE_REJECTED)).singleElement()
                .satisfies(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getNote()).contains("spec.network.egress[0].cidr").contains("10.0.0.0/33");
                    assertThat(e.getRegarding().getName()).isEqualTo(KubeStandIn.POD);
                    assertThat(e.getRelated().getName()).isEqualTo("web");
                    assertThat(e.getReportingController()).isEqualTo("picket.dev/sidecar");
                    assertThat(e.getReportingInstance()).isEqualTo(KubeStandIn.POD);
                }));
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("web").getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Accepted");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("Invalid");
            assertThat(c.getMessage()).contains("egress[0].cidr");
        }));
        assertThat(active.current().mode()).as("the last good profile stays").isEqualTo(Mode.LEARN);
        assertThat(active.generation()).isEqualTo(generation);
        assertThat(active.lastError()).isPresent();

        editProfile(p -> {
            p.getSpec().setMode(Mode.MONITOR);
            p.getSpec().setNetwork(null);
            return p;
        });
        await().atMost(WAIT).until(() -> active.current().mode() == Mode.MONITOR && active.lastError().isEmpty());
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("web").getConditions())
                .anySatisfy(c -> assertThat(c.getStatus()).isEqualTo("True")));
    }

    @Test
    @Order(4)
    void theAnnotationNamesTheProfileAndWinsOverTheSelector() {
        kube.client().pods().inNamespace(NS).withName(KubeStandIn.POD)
                .edit(p -> {
                    p.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of(ProfileWatch.ANNOTATION, "named")));
                    return p;
                });
        try {
            await().atMost(WAIT).until(() -> active.source().equals("WorkloadProfile shop/named"));
            assertThat(active.current().mode()).isEqualTo(Mode.LEARN);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(status("named").getPods()).containsExactly(KubeStandIn.POD);
                assertThat(status("web").getPods()).as("the pod left its former profile").isEmpty();
            });
            // "named" learns: what this replica learned from its real scans is written into the status
            await().atMost(WAIT).untilAsserted(() -> {
                var learned = status("named").getLearned();
                assertThat(learned).isNotNull();
                assertThat(learned.getMode()).isEqualTo(Mode.ENFORCE);
                assertThat(learned.getProcesses().getAllow()).anySatisfy(r -> assertThat(r.getExe()).endsWith("/sleep"));
            });
        } finally {
            kube.client().pods().inNamespace(NS).withName(KubeStandIn.POD).edit(p -> {
                p.getMetadata().getAnnotations().remove(ProfileWatch.ANNOTATION);
                return p;
            });
        }
        await().atMost(WAIT).until(() -> active.source().equals("WorkloadProfile shop/web"));
    }

    @Test
    @Order(5)
    void severalMatchingProfilesAreResolvedOldestFirstAndReported() {
        kube.client().resource(KubeStandIn.profile("web-extra", """
                selector: {matchLabels: {app: web}}
                mode: enforce
                """)).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(events(PodEvents.PROFILE_AMBIGUOUS)).singleElement()
                .satisfies(e -> assertThat(e.getNote()).contains("web-extra").contains("oldest")));
        assertThat(active.source()).isEqualTo("WorkloadProfile shop/web");
        kube.client().resources(WorkloadProfile.class).inNamespace(NS).withName("web-extra").delete();
    }

    @Test
    @Order(6)
    void aRepeatedViolationUpdatesOneEventsSeries() {
        for (int i = 0; i < 3; i++) {
            violations.fire(violation("process-not-allowed", "/usr/bin/nc"));
        }
        violations.fire(violation("process-not-allowed", "/usr/bin/curl"));
        await().atMost(WAIT).untilAsserted(() -> {
            List<Event> all = events(PodEvents.VIOLATION).stream()
                    .filter(e -> e.getNote().contains("process-not-allowed")).toList();
            assertThat(all).hasSize(2);
            Event nc = all.stream().filter(e -> e.getNote().contains("/usr/bin/nc")).findFirst().orElseThrow();
            assertThat(nc.getSeries()).isNotNull();
            assertThat(nc.getSeries().getCount()).isEqualTo(3);
            assertThat(nc.getType()).isEqualTo("Warning");
            assertThat(nc.getAction()).isEqualTo("Report");
            assertThat(nc.getNote().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(1024);
            Event curl = all.stream().filter(e -> e.getNote().contains("/usr/bin/curl")).findFirst().orElseThrow();
            assertThat(curl.getSeries()).isNull();
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("web").getViolations()).containsEntry("process", 4L));
    }

    @Test
    @Order(7)
    void quarantineLabelsThePodBeforeReadinessGoesDown() throws Exception {
        assertThat(ready()).isEqualTo(200);
        AtomicReference<Pod> podWhenFirstDown = new AtomicReference<>();
        Thread watcher = Thread.ofPlatform().start(() -> {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                if (ready() == 503) {
                    podWhenFirstDown.set(pod());
                    return;
                }
            }
        });
        call("operator-token", "POST", "/v1/quarantine", "{\"reason\":\"incident 42\"}").then().statusCode(202);
        watcher.join(WAIT.toMillis());
        assertThat(podWhenFirstDown.get()).as("readiness went down").isNotNull();
        assertThat(podWhenFirstDown.get().getMetadata().getLabels()).containsEntry(QuarantineLabel.LABEL, "true");
        assertThat(podWhenFirstDown.get().getMetadata().getAnnotations().get(QuarantineLabel.REASON)).contains("incident 42");
        await().atMost(WAIT).untilAsserted(() -> assertThat(events(PodEvents.QUARANTINED)).isNotEmpty());
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("web").getQuarantinedPods())
                .containsExactly(KubeStandIn.POD));
    }

    @Test
    @Order(8)
    void aRestartedSidecarRestoresTheQuarantineFromTheLabel() throws Exception {
        assertThat(runtime.awaitDelivered(WAIT)).isTrue();
        // a restart: the integration stops, the sidecar's memory and state file are gone, only the label is left
        runtime.stop(false);
        quarantine.release(quarantine.current().orElseThrow(), "test: the sidecar's container restarts");
        assertThat(ready()).isEqualTo(200);

        runtime.start();
        await().atMost(WAIT).until(() -> ready() == 503);
        assertThat(quarantine.current().orElseThrow().requestedBy()).isEqualTo("pod label " + QuarantineLabel.LABEL);
        assertThat(quarantine.current().get().reason()).contains("incident 42");
        await().atMost(WAIT).untilAsserted(() -> assertThat(events(PodEvents.QUARANTINED))
                .anySatisfy(e -> assertThat(e.getNote()).startsWith("Quarantine restored from the pod label")));
    }

    @Test
    @Order(9)
    void removingTheLabelReleasesThePod() {
        await().atMost(WAIT).until(() -> KubeStateFiles.labelSeen(KubeProfile.stateDir()));
        kube.client().pods().inNamespace(NS).withName(KubeStandIn.POD).edit(p -> {
            p.getMetadata().getLabels().remove(QuarantineLabel.LABEL);
            return p;
        });
        await().atMost(WAIT).until(() -> ready() == 200);
        await().atMost(WAIT).untilAsserted(() -> assertThat(events(PodEvents.RELEASED)).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Normal");
            assertThat(e.getNote()).contains("label picket.dev/quarantined was removed");
        }));
        assertThat(pod().getMetadata().getLabels()).doesNotContainKey(QuarantineLabel.LABEL);
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("web").getQuarantinedPods()).isEmpty());
    }

    @Test
    @Order(10)
    void aLabelRemovedWhileTheSidecarWasDownReleasesAtStart() throws Exception {
        call("operator-token", "POST", "/v1/quarantine", "{\"reason\":\"second incident\"}").then().statusCode(202);
        await().atMost(WAIT).until(() -> KubeStateFiles.labelSeen(KubeProfile.stateDir()));
        assertThat(ready()).isEqualTo(503);
        runtime.stop(false);
        kube.client().pods().inNamespace(NS).withName(KubeStandIn.POD).edit(p -> {
            p.getMetadata().getLabels().remove(QuarantineLabel.LABEL);
            return p;
        });
        assertThat(ready()).as("no one told the stopped sidecar yet").isEqualTo(503);
        runtime.start();
        await().atMost(WAIT).until(() -> ready() == 200);
        assertThat(quarantine.isQuarantined()).isFalse();
    }

    @Test
    @Order(11)
    void anUnreachableApiServerAtStartDelaysStartUpOnlyBriefly() throws Exception {
        runtime.stop(false);
        kube.proxy().down();
        try {
            runtime.start();
            assertThat(RestAssured.get(management("/q/health/started")).statusCode())
                    .as("waiting for the profile").isEqualTo(503);
            await().atMost(Duration.ofSeconds(8)).until(() ->
                    RestAssured.get(management("/q/health/started")).statusCode() == 200);
            assertThat(active.source()).as("the profile in force stays").isEqualTo("WorkloadProfile shop/web");
            assertThat(ready()).isEqualTo(200);
        } finally {
            kube.proxy().up();
        }
        editProfile(p -> {
            p.getSpec().setMode(Mode.LEARN);
            return p;
        });
        await().atMost(WAIT).until(() -> active.current().mode() == Mode.LEARN);
        editProfile(p -> {
            p.getSpec().setMode(Mode.MONITOR);
            return p;
        });
        await().atMost(WAIT).until(() -> active.current().mode() == Mode.MONITOR);
    }

    @Test
    @Order(12)
    void controlCallsAreCheckedWithTokenReviewAndSubjectAccessReview() {
        call("operator-token", "GET", "/v1/status", null).then().statusCode(200);
        call("reader-token", "GET", "/v1/status", null).then().statusCode(200);
        Response denied = call("reader-token", "PUT", "/v1/mode", "monitor");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.jsonPath().getString("error")).isEqualTo("forbidden");
        assertThat(denied.jsonPath().getString("message")).contains("alice").contains("update")
                .contains("workloadprofiles/mode").contains("picket.dev");
        Response own = call("own-token", "GET", "/v1/status", null);
        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(own.jsonPath().getString("message")).contains("own service account");
        Response unknown = call("forged-token", "GET", "/v1/status", null);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.jsonPath().getString("message")).contains("TokenReview");
        call(null, "GET", "/v1/status", null).then().statusCode(401);
        call("operator-token", "PUT", "/v1/mode", "monitor").then().statusCode(200);
    }

    @Test
    @Order(13)
    void whenTheApiServerIsGoneCallsFailClosedAndEventsWaitAndAreDeliveredWhenItIsBack() throws Exception {
        assertThat(runtime.awaitDelivered(WAIT)).isTrue();
        kube.proxy().down();
        try {
            Response refused = call("late-token", "GET", "/v1/status", null);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.jsonPath().getString("error")).isEqualTo("kube_unavailable");

            for (int i = 0; i < 5; i++) {
                violations.fire(violation("while-down-" + i, "/bin/while-down"));
            }
            await().atMost(WAIT).until(() -> runtime.queueDepth() >= 5);
            double droppedBefore = dropped();
            for (int i = 0; i < KubeProfile.QUEUE_SIZE + 10; i++) {
                violations.fire(violation("overflow-" + i, "/bin/overflow"));
            }
            assertThat(dropped()).as("what did not fit is counted").isGreaterThanOrEqualTo(droppedBefore + 10);
            assertThat(metrics()).contains("picket_kube_queue_depth " + KubeProfile.QUEUE_SIZE + ".0");

            // enforcement does not wait: a quarantine (as the responder makes it) takes readiness down at once,
            // and its label waits in the queue, ahead of events if need be
            assertThat(ready()).isEqualTo(200);
            long start = System.nanoTime();
            quarantine.quarantine(new QuarantineRecord("egress while the API server is down", Instant.now(),
                    "v-down", "egress-not-allowed", null));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(ready()).isEqualTo(503);
            assertThat(pod().getMetadata().getLabels()).doesNotContainKey(QuarantineLabel.LABEL);
        } finally {
            kube.proxy().up();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(pod().getMetadata().getLabels())
                .containsEntry(QuarantineLabel.LABEL, "true"));
        assertThat(pod().getMetadata().getAnnotations().get(QuarantineLabel.REASON))
                .isEqualTo("egress while the API server is down");
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> notes = events(PodEvents.VIOLATION).stream().map(Event::getNote).toList();
            for (int i = 0; i < 5; i++) {
                String rule = "while-down-" + i;
                assertThat(notes).anySatisfy(n -> assertThat(n).contains("rule " + rule + ":"));
            }
        });
        call("late-token", "GET", "/v1/status", null).then().statusCode(200);

        await().atMost(WAIT).until(() -> KubeStateFiles.labelSeen(KubeProfile.stateDir()));
        kube.client().pods().inNamespace(NS).withName(KubeStandIn.POD).edit(p -> {
            p.getMetadata().getLabels().remove(QuarantineLabel.LABEL);
            return p;
        });
        await().atMost(WAIT).until(() -> ready() == 200);
    }

    private String metrics() {
        return RestAssured.get(management("/q/metrics")).asString();
    }

    private double dropped() {
        return metrics().lines().filter(l -> l.startsWith("picket_kube_dropped_total{") && l.contains("queue_full"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
