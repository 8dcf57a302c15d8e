package dev.picket.api;

import dev.picket.profile.learn.NetworkPolicyProposal;
import dev.picket.profile.learn.StrictNetworkPolicy;
import dev.picket.testing.Host;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** {@code GET /v1/profile/learned?format=networkpolicy} on a running sidecar that learns a real server. */
@QuarkusTest
@TestProfile(NetworkPolicyProfile.class)
class NetworkPolicyEndpointQuarkusTest {

    private static final String BASE = "http://localhost:" + NetworkPolicyProfile.CONTROL;

    private static RequestSpecification authed() throws IOException {
        String token = Files.readString(NetworkPolicyProfile.state().resolve("control-token")).trim();
        return RestAssured.given().baseUri(BASE).header("Authorization", "Bearer " + token);
    }

    @BeforeEach
    void started() {
        Host.requireLinux();
        Host.requireCommand("python3");
        await().atMost(Duration.ofSeconds(20)).until(() -> RestAssured.get("http://localhost:"
                + NetworkPolicyProfile.MANAGEMENT + "/q/health/started").statusCode() == 200);
    }

    @Test
    void theLearnedServerBecomesAnIngressRuleOfAValidNetworkPolicy() throws IOException {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> authed().get("/v1/profile/learned").then()
                .statusCode(200).body(containsString("port: " + NetworkPolicyProfile.APP_PORT)));

        String yaml = authed().queryParam("format", "networkpolicy").get("/v1/profile/learned").then()
                .statusCode(200).contentType("application/yaml").extract().asString();
        NetworkPolicy np = StrictNetworkPolicy.read(yaml);
        assertThat(np.getMetadata().getName()).isEqualTo("picket-np-web");
        assertThat(np.getSpec().getPodSelector().getMatchLabels()).as("spec.selector of the profile file")
                .isEqualTo(Map.of("app", "np-web"));
        assertThat(np.getMetadata().getAnnotations().get("picket.dev/pod-selection")).startsWith("spec.selector of file ");
        assertThat(np.getSpec().getIngress().getFirst().getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
                .containsExactly("TCP/" + NetworkPolicyProfile.APP_PORT);
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        assertThat(np.getSpec().getIngress().get(1).getPorts()).as("the sidecar's own ports: control and management")
                .extracting(p -> p.getPort().getIntVal()).containsExactlyInAnyOrder(
                        config.getValue("quarkus.http.port", Integer.class),
                        config.getValue("quarkus.management.port", Integer.class));
        assertThat(np.getSpec().getEgress().getFirst().getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
                .containsExactly("UDP/53", "TCP/53");
        assertThat(yaml).doesNotContain(NetworkPolicyProposal.PLACEHOLDER_LABEL);
    }

    @Test
    void yamlStaysTheDefaultAndUnknownFormatsOrSourcesAreRefused() throws IOException {
        authed().get("/v1/profile/learned").then().statusCode(200).body(containsString("kind: WorkloadProfile"));
        authed().queryParam("format", "json").get("/v1/profile/learned").then().statusCode(400)
                .body("error", equalTo("bad_format"));
        authed().queryParam("source", "everywhere").get("/v1/profile/learned").then().statusCode(400)
                .body("error", equalTo("bad_source"));
        authed().queryParam("format", "networkpolicy").queryParam("source", "cluster").get("/v1/profile/learned").then()
                .statusCode(409).body("error", equalTo("kube_off"));
        RestAssured.given().baseUri(BASE).queryParam("format", "networkpolicy").get("/v1/profile/learned").then()
                .statusCode(401);
    }
}
