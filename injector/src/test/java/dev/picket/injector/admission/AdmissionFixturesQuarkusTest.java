package dev.picket.injector.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.picket.injector.golden.MockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** The AdmissionReview requests captured from real clusters (see resources/admission/README.md). */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class AdmissionFixturesQuarkusTest {

    @Inject
    KubernetesClient client;

    @BeforeEach
    void namespaces() {
        MockCluster.createNamespaces(client);
    }

    private static ObjectNode fixture(String file) throws IOException {
        try (InputStream in = AdmissionFixturesQuarkusTest.class.getResourceAsStream("/admission/" + file)) {
            return (ObjectNode) Reviews.JSON.readTree(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "replicaset-pod-create.json", "generatename-pod-create.json" })
    void unchangedTheyAreNotOptedIn(String file) throws Exception {
        JsonNode response = Reviews.send(fixture(file));
        assertTrue(response.path("allowed").asBoolean());
        assertFalse(response.has("patch"));
        assertEquals("not_selected", response.path("auditAnnotations").path("reason").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = { "replicaset-pod-create.json", "generatename-pod-create.json" })
    void withTheOptInLabelTheyAreInjected(String file) throws Exception {
        ObjectNode review = fixture(file);
        JsonNode pod = review.path("request").path("object");
        ((ObjectNode) pod.path("metadata").path("labels")).put("picket.dev/inject", "true");

        JsonNode response = Reviews.send(review);
        Optional<JsonNode> patch = Reviews.patch(response);
        assertTrue(patch.isPresent(), response.toString());
        JsonNode injected = Reviews.apply(patch.get(), pod);

        JsonNode sidecar = injected.path("spec").path("initContainers").get(0);
        assertEquals("picket", sidecar.path("name").asText());
        assertEquals("Always", sidecar.path("restartPolicy").asText());
        assertTrue(injected.path("spec").path("shareProcessNamespace").asBoolean());
        // The ServiceAccount plugin's token volume (already in the captured pod) is reused, not duplicated.
        String tokenVolume = pod.path("spec").path("volumes").get(0).path("name").asText();
        assertTrue(tokenVolume.startsWith("kube-api-access-"));
        assertEquals(tokenVolume, sidecar.path("volumeMounts").get(2).path("name").asText());
        // Everything the pod had is still there, unchanged.
        assertEquals(pod.path("metadata").path("managedFields"), injected.path("metadata").path("managedFields"));
        assertEquals(pod.path("spec").path("containers"), injected.path("spec").path("containers"));
        assertEquals(pod.path("spec").path("tolerations"), injected.path("spec").path("tolerations"));
        assertEquals(pod.path("status"), injected.path("status"));
        assertTrue(injected.path("metadata").path("annotations").has("picket.dev/status"));

        // Reinvocation with the patched pod: admitted, no patch.
        ((ObjectNode) review.get("request")).set("object", injected);
        JsonNode again = Reviews.send(review);
        assertFalse(again.has("patch"));
        assertEquals("already_injected", again.path("auditAnnotations").path("reason").asText());
    }
}
