package dev.picket.respond;

import dev.picket.testing.Host;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole pipeline in enforce and monitor mode against real processes started in the watched tree. */
@QuarkusTest
@TestProfile(EnforceProfile.class)
class EnforcementQuarkusTest {

    private static final long INTERVAL_MS = 250;

    @BeforeEach
    void started() {
        Host.requireRoot();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                RestAssured.get(dev.picket.api.Control.management() + "/q/health/started").statusCode() == 200);
    }

    private static RequestSpecification authed() throws Exception {
        String token = Files.readString(EnforceProfile.STATE.resolve("control-token")).trim();
        return RestAssured.given().header("Authorization", "Bearer " + token);
    }

    private static void run(String command) throws Exception {
        Files.writeString(EnforceProfile.FIFO, command + "\n", StandardOpenOption.APPEND);
    }

    /**
     * Exited, or a zombie: the watched shell reaps its children only between reads, and a killed
     * process is dead once it is a zombie.
     */
    private static boolean gone(ProcessHandle h) {
        try {
            String stat = Files.readString(java.nio.file.Path.of("/proc", Long.toString(h.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /**
     * Runs a command that first writes its shell's pid, then execs {@code exec} in that same process, and returns the
     * process once the pid is written: the test knows it before the sidecar can kill it (searching every process of a
     * busy machine for it could take longer than the kill).
     */
    private static ProcessHandle runAndFind(String exec, String marker) throws Exception {
        java.nio.file.Path pidFile = EnforceProfile.FIFO.resolveSibling(marker + ".pid");
        Files.deleteIfExists(pidFile);
        run("echo $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile + " && " + exec);
        long pid = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
            try {
                return Long.parseLong(Files.readString(pidFile).strip());
            } catch (java.io.IOException | NumberFormatException e) {
                return 0L;
            }
        }, p -> p > 0);
        return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("pid " + pid + " was gone before it was seen"));
    }

    @Test
    void aForbiddenProcessAndItsChildrenAreKilledWithinTwoIntervals() throws Exception {
        authed().body("enforce").put("/v1/mode").then().statusCode(200);
        ProcessHandle bash = runAndFind("exec /bin/bash -c 'sleep 77.5 & sleep 78.5 & wait' forbidden-77", "forbidden-77");
        long seen = System.nanoTime();
        List<ProcessHandle> kids = await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                .until(() -> bash.descendants().toList(), l -> l.size() == 2 || gone(bash));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> gone(bash));
        long tookMs = (System.nanoTime() - seen) / 1_000_000;
        // two intervals, plus time for one scan and the kill on a busy two-core machine
        assertThat(tookMs).as("ms from the process appearing to its death").isLessThanOrEqualTo(2 * INTERVAL_MS + 400);
        for (ProcessHandle k : kids) {
            await().atMost(Duration.ofSeconds(2)).until(() -> gone(k));
        }
        JsonPath v = authed().get("/v1/violations?limit=50").then().statusCode(200).extract().jsonPath();
        Map<String, Object> killed = v.getList("", Map.class).stream()
                .filter(x -> String.valueOf(x.get("exe")).endsWith("bash")).findFirst().orElseThrow();
        assertThat(killed).containsEntry("kind", "process").containsEntry("rule", "process-not-allowed")
                .containsEntry("action", "KILLED").containsEntry("mode", "enforce")
                .containsEntry("pid", (int) bash.pid());
        assertThat(String.valueOf(killed.get("actionDetail"))).contains("SIGKILL");
        assertThat(String.valueOf(killed.get("argv"))).contains("forbidden-77");
        String metrics = RestAssured.get(dev.picket.api.Control.management() + "/q/metrics").asString();
        assertThat(metrics).contains("picket_kills_total").containsPattern(
                "picket_violations_total\\{action=\"killed\",kind=\"process\",rule=\"process-not-allowed\"} [1-9]");
    }

    @Test
    void monitorModeKillsNothingButRecordsWouldKill() throws Exception {
        authed().body("monitor").put("/v1/mode").then().statusCode(200);
        try {
            ProcessHandle bash = runAndFind("exec /bin/bash -c 'sleep 300; true' shadow-88", "shadow-88");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(authed().get("/v1/violations?limit=50")
                    .then().extract().jsonPath().getList("findAll { it.pid == " + bash.pid() + " }.action"))
                    .containsExactly("WOULD_KILL"));
            Thread.sleep(4 * INTERVAL_MS);
            assertThat(gone(bash)).isFalse();
            bash.destroyForcibly();
        } finally {
            authed().body("enforce").put("/v1/mode").then().statusCode(200);
        }
    }
}
