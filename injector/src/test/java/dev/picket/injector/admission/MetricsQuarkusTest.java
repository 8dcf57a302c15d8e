package dev.picket.injector.admission;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.picket.injector.golden.MockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** The documented metrics, on the management port, moving when requests are answered. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class MetricsQuarkusTest {

    @Inject
    KubernetesClient client;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    private double value(String series) {
        String text = given().when().get(metrics).then().statusCode(200).extract().asString();
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }

    @Test
    void countersAndDurationMove() throws Exception {
        MockCluster.createNamespaces(client);
        double injected = value("picket_injector_requests_total{result=\"injected\"}");
        double hostNetworkSkips = value("picket_injector_skips_total{reason=\"host_network\"}");
        double badRequests = value("picket_injector_requests_total{result=\"bad_request\"}");
        double durations = value("picket_injector_duration_seconds_count");
        double hostNetworkFindings = value("picket_injector_policy_findings_total{action=\"warn\",rule=\"host_network\"}");
        // Every rule and action exists from the start, at zero if nothing happened yet.
        assertTrue(value("picket_injector_policy_findings_total{action=\"deny\",rule=\"image_repository\"}") >= 0);
        assertTrue(value("picket_injector_policy_findings_total{action=\"warn\",rule=\"profile_unresolved\"}") >= 0);
        // Every label value exists from the start, at zero if nothing happened yet.
        assertTrue(value("picket_injector_skips_total{reason=\"host_pid\"}") >= 0);
        assertTrue(value("picket_injector_requests_total{result=\"allowed_uninjected\"}") >= 0);

        ObjectNode pod = Reviews.JSON.createObjectNode();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", "metered");
        ObjectNode spec = pod.putObject("spec");
        spec.putArray("containers").addObject().put("name", "app").put("image", "example.org/app:1");
        Reviews.send(Reviews.podCreate(pod, "team-enabled"));
        spec.put("hostNetwork", true);
        Reviews.send(Reviews.podCreate(pod, "team-enabled"));
        given().contentType("application/json").body("{").when().post("/mutate").then().statusCode(400);

        assertTrue(value("picket_injector_requests_total{result=\"injected\"}") == injected + 1);
        assertTrue(value("picket_injector_skips_total{reason=\"host_network\"}") == hostNetworkSkips + 1);
        assertTrue(value("picket_injector_requests_total{result=\"bad_request\"}") == badRequests + 1);
        assertTrue(value("picket_injector_duration_seconds_count") == durations + 3);
        assertTrue(value("picket_injector_policy_findings_total{action=\"warn\",rule=\"host_network\"}")
                == hostNetworkFindings + 1, "the opted-in hostNetwork pod is a pod-security finding");
        assertTrue(value("picket_injector_duration_seconds_bucket{le=\"10.0\"}") >= 3);
    }

    @Test
    void readyWithACertificate() {
        given().when().get(ready).then().statusCode(200);
    }
}
