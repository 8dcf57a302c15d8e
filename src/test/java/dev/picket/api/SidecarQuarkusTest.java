package dev.picket.api;

import dev.picket.testing.Host;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.equalTo;

/** The whole sidecar in command mode: it starts a real neighbour and serves what it sees. */
@QuarkusTest
class SidecarQuarkusTest {


    @BeforeEach
    void firstScan() {
        Host.requireLinux();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                RestAssured.get(Control.management() + "/q/health/started").statusCode() == 200);
    }

    @Test
    void observedShowsTheRealNeighbour() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> Control.authed().get("/v1/observed").then()
                .statusCode(200)
                .body("scope.kind", equalTo("COMMAND"))
                .body("processes.argv.args.flatten()", hasItem("600.25"))
                .body("processes.find { it.argv.args.contains('600.25') }.exe.path", containsString("sleep"))
                .body("totals.processes", org.hamcrest.Matchers.greaterThanOrEqualTo(1)));
    }

    @Test
    void healthIsUpOnTheManagementPort() {
        RestAssured.get(Control.management() + "/q/health/live").then().statusCode(200)
                .body("checks.name", hasItem("picket-scan"));
        RestAssured.get(Control.management() + "/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("picket-first-scan"));
    }

    @Test
    void metricsFollowPrometheusNaming() {
        String metrics = RestAssured.get(Control.management() + "/q/metrics").then().statusCode(200).extract().asString();
        for (String name : new String[] {"picket_scan_duration_seconds_bucket", "picket_scan_duration_seconds_count",
                "picket_observed_processes", "picket_observed_sockets{direction=\"outbound\"}",
                "picket_observed_sockets{direction=\"listen\"}", "picket_neighbour_cpu_cores",
                "picket_neighbour_memory_bytes", "picket_forks_total", "picket_scans_total",
                "picket_last_scan_timestamp_seconds"}) {
            org.assertj.core.api.Assertions.assertThat(metrics).as(name).contains(name);
        }
    }
}
