package dev.picket.api;

import dev.picket.kube.KubeStandIn;
import dev.picket.profile.EgressRuleSpec;
import dev.picket.profile.ListenRuleSpec;
import dev.picket.profile.NetworkSpec;
import dev.picket.profile.Protocol;
import dev.picket.profile.WorkloadProfile;
import dev.picket.profile.WorkloadProfileSpec;
import dev.picket.profile.WorkloadProfileStatus;
import dev.picket.profile.learn.StrictNetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code source=cluster}: the NetworkPolicy (and the profile) from the union in the WorkloadProfile's
 * {@code status.learned}, selecting the pods by the profile's {@code spec.selector}; in a cluster the local proposal
 * names the namespace and selects the same way.
 */
@QuarkusTest
@TestProfile(NetworkPolicyKubeProfile.class)
class NetworkPolicyClusterQuarkusTest {

    private static final String NS = "shop";

    KubeStandIn.Handle kube;

    private static RequestSpecification operator() {
        return RestAssured.given().baseUri("http://localhost:" + NetworkPolicyProfile.CONTROL)
                .header("Authorization", "Bearer operator-token");
    }

    private void learned(WorkloadProfileSpec spec) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            WorkloadProfile wp = kube.client().resources(WorkloadProfile.class).inNamespace(NS).withName("web").get();
            WorkloadProfileStatus status = wp.getStatus() == null ? new WorkloadProfileStatus() : wp.getStatus();
            status.setLearned(spec);
            wp.setStatus(status);
            kube.client().resources(WorkloadProfile.class).inNamespace(NS).resource(wp).updateStatus();
        });
    }

    @Test
    void theUnionInTheStatusBecomesTheNetworkPolicyOfThePodsTheProfileSelects() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> operator().get("/v1/profile").then().statusCode(200)
                .body("source", equalTo("WorkloadProfile shop/web")));
        learned(null);
        operator().queryParam("format", "networkpolicy").queryParam("source", "cluster").get("/v1/profile/learned")
                .then().statusCode(404).body("error", equalTo("nothing_learned"));

        WorkloadProfileSpec union = new WorkloadProfileSpec();
        union.setNetwork(new NetworkSpec(List.of(new EgressRuleSpec("10.20.0.5/32", List.of(5432), Protocol.TCP),
                new EgressRuleSpec("10.20.0.6/32", List.of(5432), Protocol.TCP)),
                List.of(new ListenRuleSpec(8080, Protocol.TCP))));
        learned(union);

        String yaml = operator().queryParam("format", "networkpolicy").queryParam("source", "cluster")
                .get("/v1/profile/learned").then().statusCode(200).contentType("application/yaml").extract().asString();
        NetworkPolicy np = StrictNetworkPolicy.read(yaml);
        assertThat(yaml).contains("# NetworkPolicy proposed by Picket from status.learned of WorkloadProfile shop/web");
        assertThat(np.getMetadata().getName()).isEqualTo("picket-web");
        assertThat(np.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(np.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Map.of("app", "web"));
        assertThat(np.getSpec().getEgress().get(1).getTo()).extracting(p -> p.getIpBlock().getCidr())
                .containsExactly("10.20.0.5/32", "10.20.0.6/32");
        assertThat(np.getSpec().getIngress().getFirst().getPorts()).extracting(p -> p.getPort().getIntVal())
                .containsExactly(8080);

        operator().queryParam("source", "cluster").get("/v1/profile/learned").then().statusCode(200)
                .body(containsString("name: web"), containsString("cidr: 10.20.0.6/32"), containsString("mode: enforce"));

        String local = operator().queryParam("format", "networkpolicy").get("/v1/profile/learned").then().statusCode(200)
                .extract().asString();
        NetworkPolicy fromThisPod = StrictNetworkPolicy.read(local);
        assertThat(fromThisPod.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(fromThisPod.getSpec().getPodSelector().getMatchLabels()).as("the profile's selector here too")
                .isEqualTo(Map.of("app", "web"));
        assertThat(local).contains("# NetworkPolicy proposed by Picket from what pod shop/web-1 learned.");
    }
}
