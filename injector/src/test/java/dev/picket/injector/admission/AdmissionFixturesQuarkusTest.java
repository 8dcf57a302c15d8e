package dev.picket.injector.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.picket.injector.golden.MockCluster;
import dev.picket.injector.kube.ProfileDirectory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** The AdmissionReview requests captured from real clusters (see resources/admission/README.md). */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class AdmissionFixturesQuarkusTest {

    @Inject
    KubernetesClient client;

    @Inject
    ProfileDirectory profiles;

    @BeforeEach
    void namespaces() {
        MockCluster.createNamespaces(client);
    }

    @AfterEach
    void noProfilesLeft() {
        for (String namespace : List.of("demo", "sensitive-ns")) {
            MockCluster.replaceProfiles(client, profiles, namespace, List.of());
        }
    }

    /** A WorkloadProfile that selects every pod of the namespace, with the given spec lines after the selector. */
    private void profile(String namespace, String... specLines) throws IOException {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: picket.dev/v1alpha1
                kind: WorkloadProfile
                metadata: {name: fixtures, namespace: %s}
                spec:
                  selector: {}
                """.formatted(namespace));
        for (String line : specLines) {
            yaml.append("  ").append(line).append('\n');
        }
        JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(yaml.toString());
        MockCluster.replaceProfiles(client, profiles, namespace, List.of(node));
    }

    private static ObjectNode optedIn(String file) throws IOException {
        ObjectNode review = fixture(file);
        ((ObjectNode) review.path("request").path("object").path("metadata").path("labels")).put("picket.dev/inject", "true");
        return review;
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

    @ParameterizedTest
    @CsvSource({ "replicaset-pod-create.json, demo", "generatename-pod-create.json, sensitive-ns" })
    void imagesThatPassTheProfileAreInjectedWithoutWarnings(String file, String namespace) throws Exception {
        // edcelvista/ubuntu24-network-tools:v13-k8s-crd and busybox (docker.io/library/busybox, implicitly latest)
        profile(namespace, "images:",
                "  allow: {repositories: [docker.io/edcelvista/*, docker.io/library/busybox], action: deny}",
                "  denyTags: {tags: [dev, \"*-rc*\"], action: deny}",
                "podSecurity: enforce");
        JsonNode response = Reviews.send(optedIn(file));
        assertTrue(response.path("allowed").asBoolean(), response.toString());
        assertTrue(Reviews.patch(response).isPresent());
        assertEquals(List.of(), Reviews.warnings(response));
        assertFalse(response.path("auditAnnotations").has("findings"));
    }

    @ParameterizedTest
    @CsvSource({
            "replicaset-pod-create.json, demo, demo-crd-resource, edcelvista/ubuntu24-network-tools:v13-k8s-crd",
            "generatename-pod-create.json, sensitive-ns, test, busybox" })
    void imagesThatFailAreDeniedOrAdmittedWithWarnings(String file, String namespace, String container, String image)
            throws Exception {
        profile(namespace, "images:", "  requireDigest: {action: deny}", "  allow: {repositories: [\"registry.example.com/**\"]}");
        JsonNode denied = Reviews.send(optedIn(file));
        assertFalse(denied.path("allowed").asBoolean());
        assertEquals(403, denied.path("status").path("code").asInt());
        assertEquals("picket: denied by WorkloadProfile " + namespace + "/fixtures: [image_digest] container " + container
                + ": image \"" + image + "\" is not pinned by an @sha256: digest", denied.path("status").path("message").asText());
        assertEquals(1, Reviews.warnings(denied).size(), "the allow rule (warn) is reported beside the denial");
        assertTrue(Reviews.warnings(denied).getFirst().startsWith("picket: WorkloadProfile " + namespace
                + "/fixtures: [image_repository] container " + container + ": image \"" + image + "\" is from docker.io/"),
                Reviews.warnings(denied).toString());
        assertEquals("image_repository=warn,image_digest=deny", denied.path("auditAnnotations").path("findings").asText());

        profile(namespace, "images:", "  requireDigest: {action: warn}");
        JsonNode warned = Reviews.send(optedIn(file));
        assertTrue(warned.path("allowed").asBoolean());
        assertTrue(Reviews.patch(warned).isPresent(), "admitted and injected");
        assertEquals(List.of("picket: WorkloadProfile " + namespace + "/fixtures: [image_digest] container " + container
                + ": image \"" + image + "\" is not pinned by an @sha256: digest"), Reviews.warnings(warned));
    }

    @ParameterizedTest
    @ValueSource(strings = { "replicaset-pod-create.json", "generatename-pod-create.json" })
    void untouchedTheyAreNotJudgedEither(String file) throws Exception {
        profile(file.startsWith("replicaset") ? "demo" : "sensitive-ns", "images:", "  requireDigest: {action: deny}");
        JsonNode response = Reviews.send(fixture(file));
        assertTrue(response.path("allowed").asBoolean());
        assertEquals(List.of(), Reviews.warnings(response));
        assertEquals("not_selected", response.path("auditAnnotations").path("reason").asText());
    }
}
