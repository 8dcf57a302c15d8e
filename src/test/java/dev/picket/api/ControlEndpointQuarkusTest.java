package dev.picket.api;

import dev.picket.testing.Host;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.containsString;

/** The control endpoint's authentication, errors, mode switch and quarantine, against the running sidecar. */
@QuarkusTest
class ControlEndpointQuarkusTest {

    @BeforeEach
    void started() {
        Host.requireLinux();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                RestAssured.get(Control.management() + "/q/health/started").statusCode() == 200);
    }

    @AfterEach
    void releaseAndRestoreMode() throws Exception {
        // the operator's release: remove the record outside the control API
        Files.deleteIfExists(Control.STATE.resolve("quarantine.json"));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                RestAssured.get(Control.management() + "/q/health/ready").statusCode() == 200);
        Control.authed().body("learn").put("/v1/mode").then().statusCode(200);
    }

    @Test
    void tokenFileIsPrivateAndNeverLogged() throws Exception {
        Path token = Control.STATE.resolve("control-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        assertThat(Control.token()).hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void everyEndpointRefusesMissingMalformedAndWrongTokensWithJson401() {
        for (String path : new String[] {"/v1/status", "/v1/observed", "/v1/violations", "/v1/profile",
                "/v1/profile/learned", "/v1/no-such-thing"}) {
            RestAssured.get(path).then().statusCode(401).contentType(ContentType.JSON)
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .body("error", equalTo("unauthorized"));
            RestAssured.given().header("Authorization", "Basic dXNlcjpwYXNz").get(path).then().statusCode(401)
                    .body("message", containsString("malformed"));
            RestAssured.given().header("Authorization", "Bearer not-the-token").get(path).then().statusCode(401)
                    .body("message", containsString("not valid"));
        }
        RestAssured.given().contentType(ContentType.JSON).body("{\"reason\":\"x\"}").post("/v1/quarantine").then()
                .statusCode(401);
        RestAssured.given().body("enforce").put("/v1/mode").then().statusCode(401);
        RestAssured.get(Control.management() + "/q/health/ready").then().statusCode(200);
    }

    @Test
    void authenticatedReadsWork() {
        Control.authed().get("/v1/status").then().statusCode(200)
                .body("mode", equalTo("learn"))
                .body("profile.source", equalTo("embedded default"))
                .body("quarantined", equalTo(false))
                .body("lastScan.sequence", notNullValue())
                .body("capabilities", hasItem("CAP_KILL"));
        Control.authed().get("/v1/profile").then().statusCode(200).body("name", equalTo("default"));
        Control.authed().get("/v1/profile/learned").then().statusCode(200).contentType("application/yaml")
                .body(containsString("kind: WorkloadProfile")).body(containsString("mode: enforce"))
                .body(containsString("sleep"));
        Control.authed().get("/v1/violations?limit=5").then().statusCode(200);
    }

    @Test
    void badRequestsGetJson4xxNeverAStackTrace() {
        Control.authed().get("/v1/violations?limit=0").then().statusCode(400).body("error", equalTo("bad_limit"));
        Control.authed().get("/v1/violations?since=yesterday").then().statusCode(400).body("error", equalTo("bad_since"));
        Control.authed().get("/v1/no-such-thing").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("not_found"));
        Control.authed().delete("/v1/status").then().statusCode(405).contentType(ContentType.JSON);
        Control.authed().body("sideways").put("/v1/mode").then().statusCode(400).body("error", equalTo("bad_mode"));
        Control.authed().contentType(ContentType.JSON).body("{\"reason\":").post("/v1/quarantine").then()
                .statusCode(400).body(not(containsString("Exception")));
        Control.authed().contentType(ContentType.JSON).body("{}").post("/v1/quarantine").then().statusCode(400)
                .body("error", equalTo("missing_reason"));
        String huge = "{\"reason\":\"" + "x".repeat(64 * 1024) + "\"}";
        int status = Control.authed().contentType(ContentType.JSON).body(huge).post("/v1/quarantine").statusCode();
        assertThat(status).isEqualTo(413);
        assertThat(Control.authed().body("e".repeat(20 * 1024)).put("/v1/mode").statusCode()).isEqualTo(413);
        RestAssured.get(Control.management() + "/q/health/ready").then().statusCode(200);
    }

    @Test
    void modeSwitchIsAppliedAndReported() {
        Control.authed().body("monitor").put("/v1/mode").then().statusCode(200)
                .body("mode", equalTo("monitor")).body("previous", equalTo("learn"));
        Control.authed().get("/v1/status").then().body("mode", equalTo("monitor")).body("modeOverride", equalTo("monitor"));
        Control.authed().body("\"enforce\"").put("/v1/mode").then().statusCode(200).body("mode", equalTo("enforce"));
    }

    @Test
    void quarantineTurnsReadinessDownUntilTheOperatorRemovesTheRecord() throws Exception {
        Control.authed().contentType(ContentType.JSON).body("{\"reason\":\"incident 42\\nforged line\"}")
                .post("/v1/quarantine").then().statusCode(202).body("record.reason", equalTo("incident 42 forged line"));
        RestAssured.get(Control.management() + "/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'picket-quarantine' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'picket-quarantine' }.data.reason", containsString("incident 42"));
        assertThat(Control.STATE.resolve("quarantine.json")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Control.STATE.resolve("quarantine.json"))))
                .isEqualTo("rw-------");
        // no release through the API: there is no such endpoint
        Control.authed().delete("/v1/quarantine").then().statusCode(405);
        Control.authed().get("/v1/status").then().body("quarantined", equalTo(true));
        // a second request keeps the first record
        Control.authed().contentType(ContentType.JSON).body("{\"reason\":\"other\"}").post("/v1/quarantine").then()
                .statusCode(200).body("record.reason", equalTo("incident 42 forged line"));
        Files.delete(Control.STATE.resolve("quarantine.json"));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                RestAssured.get(Control.management() + "/q/health/ready").statusCode() == 200);
    }
}
