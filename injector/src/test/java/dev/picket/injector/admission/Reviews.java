package dev.picket.injector.admission;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.zjsonpatch.JsonPatch;

/** Builds AdmissionReview requests and reads the answers, the way the API server does. */
final class Reviews {

    static final ObjectMapper JSON = new ObjectMapper();

    private Reviews() {
    }

    static ObjectNode podCreate(JsonNode pod, String namespace) {
        return review(pod, namespace, "CREATE", "Pod", UUID.randomUUID().toString());
    }

    static ObjectNode review(JsonNode object, String namespace, String operation, String kind, String uid) {
        ObjectNode review = JSON.createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1");
        review.put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", uid);
        ObjectNode gvk = request.putObject("kind");
        gvk.put("group", "");
        gvk.put("version", "v1");
        gvk.put("kind", kind);
        ObjectNode resource = request.putObject("resource");
        resource.put("group", "");
        resource.put("version", "v1");
        resource.put("resource", kind.toLowerCase() + "s");
        request.put("namespace", namespace);
        request.put("operation", operation);
        request.set("object", object);
        request.putNull("oldObject");
        request.put("dryRun", false);
        return review;
    }

    /** Posts a review, checks the envelope (200, same apiVersion/kind, same uid) and returns the response object. */
    static JsonNode send(JsonNode review) throws Exception {
        String body = given().contentType("application/json").body(JSON.writeValueAsString(review))
                .when().post("/mutate")
                .then().statusCode(200).contentType("application/json")
                .extract().asString();
        JsonNode answer = JSON.readTree(body);
        assertEquals("admission.k8s.io/v1", answer.path("apiVersion").asText());
        assertEquals("AdmissionReview", answer.path("kind").asText());
        assertEquals(review.path("request").path("uid").asText(), answer.path("response").path("uid").asText());
        return answer.path("response");
    }

    /** The JSON Patch of a response, base64-decoded exactly once (a doubly encoded patch would not parse as JSON). */
    static Optional<JsonNode> patch(JsonNode response) throws Exception {
        if (!response.hasNonNull("patch")) {
            return Optional.empty();
        }
        assertEquals("JSONPatch", response.path("patchType").asText());
        byte[] decoded = Base64.getDecoder().decode(response.path("patch").asText());
        JsonNode patch = JSON.readTree(new String(decoded, StandardCharsets.UTF_8));
        assertEquals(true, patch.isArray(), "patch is not a JSON array: " + patch);
        return Optional.of(patch);
    }

    /** The response's warnings (what kubectl prints as "Warning: ..."), in order; empty when it has none. */
    static List<String> warnings(JsonNode response) {
        List<String> out = new ArrayList<>();
        response.path("warnings").forEach(w -> out.add(w.asText()));
        return out;
    }

    static JsonNode apply(JsonNode patch, JsonNode pod) {
        return JsonPatch.apply(patch, pod);
    }
}
