package dev.picket.injector.admission;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.picket.injector.golden.MockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** What the endpoint does with bodies and requests that are not a plain pod CREATE. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class MutateEndpointQuarkusTest {

    @Inject
    KubernetesClient client;

    @BeforeEach
    void namespaces() {
        MockCluster.createNamespaces(client);
    }

    private static ObjectNode labelledPod(String name) {
        ObjectNode pod = Reviews.JSON.createObjectNode();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        ObjectNode metadata = pod.putObject("metadata");
        metadata.put("name", name);
        metadata.putObject("labels").put("picket.dev/inject", "true");
        ObjectNode container = pod.putObject("spec").putArray("containers").addObject();
        container.put("name", "app");
        container.put("image", "example.org/app:1.0");
        return pod;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json at all",
            "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\"",
            "[1, 2, 3]",
            "\"AdmissionReview\"",
            "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"x\"}}",
            "{\"apiVersion\": \"admission.k8s.io/v1beta1\", \"kind\": \"AdmissionReview\", \"request\": {\"uid\": \"u\"}}",
            "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\"}",
            "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\", \"request\": \"x\"}",
            "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\", \"request\": {\"uid\": {\"a\": 1}}}"
    })
    void malformedBodiesAreRejectedWithAMessage(String body) {
        given().contentType("application/json").body(body)
                .when().post("/mutate")
                .then().statusCode(400).contentType("application/json").body("message", containsString(" "));
    }

    @Test
    void aReviewWithoutUidCannotBeAnswered() throws Exception {
        ObjectNode review = Reviews.podCreate(labelledPod("no-uid"), "team-plain");
        ((ObjectNode) review.get("request")).remove("uid");
        given().contentType("application/json").body(Reviews.JSON.writeValueAsString(review))
                .when().post("/mutate")
                .then().statusCode(400).body("message", containsString("request.uid"));
        ((ObjectNode) review.get("request")).put("uid", "  ");
        given().contentType("application/json").body(Reviews.JSON.writeValueAsString(review))
                .when().post("/mutate")
                .then().statusCode(400).body("message", containsString("request.uid"));
    }

    @TestHTTPResource("/mutate")
    URI mutate;

    @Test
    void aBodyAboveTheLimitIsRefusedBeforeParsing() throws Exception {
        ObjectNode pod = labelledPod("huge");
        ((ObjectNode) pod.get("metadata")).putObject("annotations").put("filler", "x".repeat(4 * 1024 * 1024));
        byte[] body = Reviews.JSON.writeValueAsBytes(Reviews.podCreate(pod, "team-plain"));
        // Expect: 100-continue lets the server refuse on Content-Length alone, as it does for the API server;
        // without it the client would still be writing when the server closes the connection.
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(mutate).expectContinue(true)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, response.statusCode());
        }
    }

    @Test
    void aLargePodWithinTheLimitIsInjected() throws Exception {
        ObjectNode pod = labelledPod("large");
        ((ObjectNode) pod.get("metadata")).putObject("annotations").put("filler", "x".repeat(1024 * 1024));
        JsonNode response = Reviews.send(Reviews.podCreate(pod, "team-plain"));
        assertTrue(response.path("allowed").asBoolean());
        assertTrue(Reviews.patch(response).isPresent());
    }

    @Test
    void otherKindsAreAllowedUntouched() throws Exception {
        ObjectNode review = Reviews.review(labelledPod("not-really"), "team-plain", "CREATE", "Service",
                UUID.randomUUID().toString());
        JsonNode response = Reviews.send(review);
        assertTrue(response.path("allowed").asBoolean());
        assertFalse(response.has("patch"));
        assertEquals("not_a_pod", response.path("auditAnnotations").path("reason").asText());
    }

    @Test
    void podSubresourcesAreAllowedUntouched() throws Exception {
        ObjectNode review = Reviews.podCreate(labelledPod("evicted"), "team-plain");
        ((ObjectNode) review.get("request")).put("subResource", "ephemeralcontainers");
        JsonNode response = Reviews.send(review);
        assertTrue(response.path("allowed").asBoolean());
        assertEquals("not_a_pod", response.path("auditAnnotations").path("reason").asText());
    }

    @Test
    void updatesAreAllowedUntouched() throws Exception {
        ObjectNode review = Reviews.review(labelledPod("updated"), "team-plain", "UPDATE", "Pod",
                UUID.randomUUID().toString());
        JsonNode response = Reviews.send(review);
        assertTrue(response.path("allowed").asBoolean());
        assertFalse(response.has("patch"));
        assertEquals("not_a_create", response.path("auditAnnotations").path("reason").asText());
    }

    @Test
    void dryRunRequestsAreInjectedLikeRealOnes() throws Exception {
        // The injection has no side effects, so `kubectl apply --dry-run=server` must show the real result.
        ObjectNode review = Reviews.podCreate(labelledPod("dry"), "team-plain");
        ((ObjectNode) review.get("request")).put("dryRun", true);
        JsonNode response = Reviews.send(review);
        assertTrue(Reviews.patch(response).isPresent());
    }

    @Test
    void aCreateWithoutObjectIsDeniedNotCrashed() throws Exception {
        ObjectNode review = Reviews.podCreate(labelledPod("ghost"), "team-plain");
        ((ObjectNode) review.get("request")).remove("object");
        JsonNode response = Reviews.send(review);
        assertFalse(response.path("allowed").asBoolean());
        assertTrue(response.path("status").path("message").asText().contains("request.object"));
    }

    @Test
    void anObjectThatIsNoPodIsDeniedNotCrashed() throws Exception {
        ObjectNode pod = labelledPod("broken");
        ((ObjectNode) pod.get("spec")).put("containers", "not a list");
        JsonNode response = Reviews.send(Reviews.podCreate(pod, "team-plain"));
        assertFalse(response.path("allowed").asBoolean());
        assertTrue(response.path("status").path("message").asText().contains("cannot be read as a Pod"),
                response.toString());
    }

    @Test
    void theRequestNamespaceWinsOverTheObjectNamespace() throws Exception {
        ObjectNode pod = labelledPod("sneaky");
        ((ObjectNode) pod.get("metadata")).put("namespace", "team-plain");
        JsonNode response = Reviews.send(Reviews.podCreate(pod, "kube-system"));
        assertTrue(response.path("allowed").asBoolean());
        assertEquals("excluded_namespace", response.path("auditAnnotations").path("reason").asText());
    }

    @Test
    void aNamespaceThatDoesNotExistHasNoLabels() throws Exception {
        ObjectNode pod = labelledPod("unlabelled");
        ((ObjectNode) pod.get("metadata")).remove("labels");
        JsonNode response = Reviews.send(Reviews.podCreate(pod, "no-such-namespace"));
        assertEquals("not_selected", response.path("auditAnnotations").path("reason").asText());
    }

    @Test
    void theResponseCarriesOnlyTheResponse() throws Exception {
        String body = given().contentType("application/json")
                .body(Reviews.JSON.writeValueAsString(Reviews.podCreate(labelledPod("envelope"), "team-plain")))
                .when().post("/mutate").then().statusCode(200).extract().asString();
        JsonNode answer = Reviews.JSON.readTree(body);
        assertFalse(answer.has("request"), "the request must not be echoed back");
        assertEquals("injected", answer.path("response").path("auditAnnotations").path("result").asText());
    }
}
