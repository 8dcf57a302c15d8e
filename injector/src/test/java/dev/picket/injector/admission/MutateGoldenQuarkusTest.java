package dev.picket.injector.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.picket.injector.golden.GoldenCase;
import dev.picket.injector.golden.GoldenCases;
import dev.picket.injector.golden.GoldenOutcome;
import dev.picket.injector.golden.MockCluster;
import dev.picket.injector.kube.ProfileDirectory;
import dev.picket.injector.mutate.SkipReason;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * Every golden case through the running webhook: the pod goes in an AdmissionReview to POST /mutate, the
 * returned patch is applied with zjsonpatch, and the result (with the response's warnings) must equal the same
 * golden file the pure test uses. Namespace labels and the case's WorkloadProfiles come from the mock API server
 * through the injector's caches, as they would from a cluster.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class MutateGoldenQuarkusTest {

    @Inject
    KubernetesClient client;

    @Inject
    ProfileDirectory profiles;

    @BeforeEach
    void namespaces() {
        MockCluster.createNamespaces(client);
    }

    @AfterEach
    void noProfilesLeftForOtherTests() {
        MockCluster.removeProfiles(client, profiles);
    }

    @TestFactory
    Stream<DynamicTest> goldenCasesThroughTheEndpoint() throws Exception {
        Assumptions.assumeFalse(GoldenCases.refresh(), "golden files are being rewritten by InjectGoldenTest");
        return GoldenCases.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private void check(GoldenCase golden) throws Exception {
        MockCluster.replaceProfiles(client, profiles, golden.namespace(), golden.profiles());
        JsonNode pod = golden.pod();
        JsonNode response = Reviews.send(Reviews.podCreate(pod, golden.namespace()));
        Optional<JsonNode> patch = Reviews.patch(response);
        List<String> warnings = Reviews.warnings(response);
        String actual;
        if (patch.isPresent()) {
            assertTrue(response.path("allowed").asBoolean());
            JsonNode injected = Reviews.apply(patch.get(), pod);
            actual = GoldenOutcome.injected(injected, warnings);
            // Reinvocation: the injected pod sent again is admitted with no patch at all, and judged the same.
            JsonNode again = Reviews.send(Reviews.podCreate(injected, golden.namespace()));
            assertTrue(again.path("allowed").asBoolean());
            assertFalse(again.has("patch"), "re-injection produced a patch");
            assertEquals(SkipReason.ALREADY_INJECTED.code(), again.path("auditAnnotations").path("reason").asText());
            assertEquals(warnings, Reviews.warnings(again));
        } else if (response.path("allowed").asBoolean()) {
            SkipReason reason = SkipReason.valueOf(
                    response.path("auditAnnotations").path("reason").asText().toUpperCase());
            actual = GoldenOutcome.skipped(reason.code(), reason.sentence(), warnings);
        } else {
            assertEquals(403, response.path("status").path("code").asInt());
            String message = response.path("status").path("message").asText();
            assertTrue(message.startsWith("picket: "), message);
            actual = GoldenOutcome.denied(message.substring("picket: ".length()), warnings);
        }
        assertEquals(golden.expected(), actual, "webhook outcome of " + golden.name() + " differs from its golden file");
    }
}
