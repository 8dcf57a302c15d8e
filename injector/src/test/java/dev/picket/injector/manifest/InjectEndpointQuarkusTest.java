package dev.picket.injector.manifest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.restassured.response.Response;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** POST /v1/inject, the GitOps path: manifests in, injected manifests out, same injection as the webhook. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class InjectEndpointQuarkusTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = InjectEndpointQuarkusTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aKustomizeOutputIsInjectedWhereItShouldBe() throws Exception {
        String input = resource("/manifests/app.yaml");
        Response response = given().contentType("application/yaml").body(input.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/inject")
                .then().statusCode(200).contentType(containsString("yaml")).extract().response();
        assertEquals("Service/web=unsupported, Deployment/web=injected, CronJob/nightly=injected, "
                + "StatefulSet/db=skipped:opted_out", response.header("Picket-Injection"));

        List<JsonNode> in = ManifestFormat.YAML.read(input);
        List<JsonNode> out = ManifestFormat.YAML.read(response.asString());
        assertEquals(4, out.size());
        assertEquals(in.get(0), out.get(0), "a Service must pass through unchanged");
        assertEquals(in.get(3), out.get(3), "an opted-out workload must pass through unchanged");

        JsonNode template = out.get(1).path("spec").path("template");
        assertEquals("picket", template.path("spec").path("initContainers").get(0).path("name").asText());
        assertTrue(template.path("metadata").path("annotations").has("picket.dev/status"));
        assertTrue(template.path("spec").path("initContainers").get(0).path("env").toString().contains("PICKET_MODE"));
        // Outside the template nothing changed.
        assertEquals(in.get(1).path("spec").path("replicas"), out.get(1).path("spec").path("replicas"));
        assertEquals(in.get(1).path("metadata"), out.get(1).path("metadata"));

        JsonNode cronPod = out.get(2).path("spec").path("jobTemplate").path("spec").path("template");
        assertEquals("picket", cronPod.path("spec").path("initContainers").get(0).path("name").asText());

        // Injecting the output again changes nothing: the pods the API server creates later are skipped as well.
        Response again = given().contentType("application/yaml").body(response.asString().getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/inject").then().statusCode(200).extract().response();
        assertEquals(out, ManifestFormat.YAML.read(again.asString()));
        assertTrue(again.header("Picket-Injection").contains("Deployment/web=skipped:already_injected"));
    }

    @Test
    void jsonInJsonOut() throws Exception {
        String pod = """
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "one"},
                 "spec": {"containers": [{"name": "app", "image": "example.org/app:1"}]}}""";
        String body = given().contentType("application/json").body(pod)
                .when().post("/v1/inject")
                .then().statusCode(200).contentType(containsString("json")).header("Picket-Injection", "Pod/one=injected")
                .extract().asString();
        JsonNode injected = ManifestFormat.JSON.read(body).getFirst();
        assertEquals("picket", injected.path("spec").path("initContainers").get(0).path("name").asText());
        assertTrue(injected.path("spec").path("shareProcessNamespace").asBoolean());
    }

    @Test
    void aWorkloadThatCannotBeInjectedFailsTheRequestNamingTheAnnotation() {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec:
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata:
                      labels: {app: api}
                      annotations: {picket.dev/sidecar-memory-limit: lots}
                    spec:
                      containers: [{name: api, image: "example.org/api:1"}]
                """;
        given().contentType("application/yaml").body(deployment.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/inject")
                .then().statusCode(422)
                .body("message", containsString("Deployment/api"))
                .body("message", containsString("picket.dev/sidecar-memory-limit"));
    }

    @Test
    void theNamespaceParameterAppliesTheNamespaceExclusions() {
        String pod = """
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "sys"},
                 "spec": {"containers": [{"name": "app", "image": "example.org/app:1"}]}}""";
        given().contentType("application/json").body(pod).queryParam("namespace", "kube-system")
                .when().post("/v1/inject")
                .then().statusCode(200).header("Picket-Injection", "Pod/sys=skipped:excluded_namespace");
    }

    @Test
    void listsAreInjectedItemByItem() throws Exception {
        String list = """
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"},
                   "spec": {"containers": [{"name": "app", "image": "example.org/app:1"}]}},
                  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}, "data": {"k": "v"}}]}""";
        String body = given().contentType("application/json").body(list)
                .when().post("/v1/inject").then().statusCode(200)
                .header("Picket-Injection", "Pod/a=injected, ConfigMap/b=unsupported").extract().asString();
        JsonNode out = ManifestFormat.JSON.read(body).getFirst();
        assertFalse(out.path("items").get(0).path("spec").path("initContainers").isMissingNode());
    }

    @Test
    void unreadableManifestsAreRejected() {
        given().contentType("application/yaml").body("a: [unclosed".getBytes(StandardCharsets.UTF_8)).when().post("/v1/inject")
                .then().statusCode(400).body("message", containsString("YAML"));
        given().contentType("application/json").body("{").when().post("/v1/inject")
                .then().statusCode(400).body("message", containsString("JSON"));
        given().contentType("application/yaml").body(new byte[0]).when().post("/v1/inject")
                .then().statusCode(400).body("message", containsString("no manifest"));
    }
}
