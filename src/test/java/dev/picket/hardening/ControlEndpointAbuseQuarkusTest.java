package dev.picket.hardening;

import dev.picket.testing.Host;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile clients of the control port, byte for byte over raw sockets: oversized bodies (announced and chunked),
 * bodies that trickle in, unknown paths and methods, path traversal, header injection, huge and duplicate headers,
 * too many connections, and token guessing. Every answer the application can give is a 4xx with a JSON error, never
 * a 5xx, never a stack trace, and never the data behind the endpoint without the token; what Vert.x refuses while
 * decoding (before any route) is a bare 4xx and a closed connection. Scanning and health go on throughout.
 * The brute-force test runs last: it locks the endpoint for the rest of the minute, as documented.
 */
@QuarkusTest
@TestProfile(AbuseProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlEndpointAbuseQuarkusTest {

    @TestHTTPResource("/")
    URL control;

    private int port() {
        return control.getPort();
    }

    private static String management(String path) {
        return "http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class) + path;
    }

    private static String token() throws IOException {
        Path state = Path.of(ConfigProvider.getConfig().getValue("picket.state.dir", String.class));
        return Files.readString(state.resolve("control-token")).trim();
    }

    @BeforeEach
    void started() {
        Host.requireLinux();
        await().atMost(Duration.ofSeconds(20)).until(() -> RestAssured.get(management("/q/health/started")).statusCode() == 200);
    }

    /** A 4xx (or the expected status) with a JSON {"error","message"} body and nothing of Picket's insides. */
    private static void jsonError(RawHttp.Answer a, int status, String error) {
        assertThat(a.status()).as("status of %s", a).isEqualTo(status);
        assertThat(a.json()).as("JSON body of %s", a).isTrue();
        assertThat(a.body()).contains("\"error\":\"" + error + "\"").contains("\"message\":");
        noInsides(a);
    }

    private static void noInsides(RawHttp.Answer a) {
        assertThat(a.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("dev.picket.")
                .doesNotContain("io.vertx").doesNotContain("root:x:0:0");
    }

    private String request(String method, String path, String... headers) {
        StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    @Test
    @Order(1)
    void aBodyAnnouncedOverTheLimitGets413JsonAndTheConnectionIsClosed() throws Exception {
        for (String auth : new String[] {"Authorization: Bearer " + token(), "X-None: 1"}) {
            try (RawHttp http = new RawHttp(port())) {
                http.send(request("POST", "/v1/quarantine", auth, "Content-Type: application/json",
                        "Content-Length: " + 20 * 1024));
                http.trySend("{\"reason\":\"" + "x".repeat(8 * 1024));
                RawHttp.Answer a = http.read();
                jsonError(a, 413, "body_too_large");
                assertThat(a.header("connection")).isEqualToIgnoringCase("close");
                assertThat(http.closedByServer()).isTrue();
            }
        }
        assertThat(RestAssured.get(management("/q/health/ready")).statusCode()).as("not quarantined").isEqualTo(200);
    }

    @Test
    @Order(2)
    void aChunkedBodyGrowingOverTheLimitGets413Json() throws Exception {
        try (RawHttp http = new RawHttp(port())) {
            http.send(request("PUT", "/v1/mode", "Authorization: Bearer " + token(), "Content-Type: text/plain",
                    "Transfer-Encoding: chunked"));
            String chunk = "e".repeat(4096);
            for (int i = 0; i < 8 && http.trySend(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n"); i++) {
                Thread.sleep(20);
            }
            http.trySend("0\r\n\r\n");
            RawHttp.Answer a = http.read();
            jsonError(a, 413, "body_too_large");
        }
        // a chunked body within the limit still works
        try (RawHttp http = new RawHttp(port())) {
            http.send(request("PUT", "/v1/mode", "Authorization: Bearer " + token(), "Content-Type: text/plain",
                    "Transfer-Encoding: chunked"));
            http.send("7\r\nmonitor\r\n0\r\n\r\n");
            RawHttp.Answer a = http.read();
            assertThat(a.status()).as("%s", a).isEqualTo(200);
            assertThat(a.body()).contains("\"mode\":\"monitor\"");
        }
    }

    @Test
    @Order(3)
    void aBodyThatTricklesInGets408JsonWithinTheReadTimeout() throws Exception {
        try (RawHttp http = new RawHttp(port())) {
            http.send(request("POST", "/v1/quarantine", "Authorization: Bearer " + token(),
                    "Content-Type: application/json", "Content-Length: 40"));
            long start = System.nanoTime();
            RawHttp.Answer a = null;
            http.timeout(700);
            for (int i = 0; i < 30 && a == null; i++) {
                if (!http.trySend("{")) {
                    break;
                }
                try {
                    RawHttp.Answer got = http.read();
                    a = got.status() > 0 ? got : null;
                } catch (IOException e) {
                    // nothing yet
                }
            }
            if (a == null) {
                http.timeout(5000);
                a = http.read();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            jsonError(a, 408, "request_timeout");
            assertThat(took).as("the read timeout is 2 s").isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
            http.timeout(5000);
            assertThat(http.closedByServer()).isTrue();
        }
        assertThat(RestAssured.get(management("/q/health/ready")).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void unknownPathsAndMethodsGetJson4xxWithAndWithoutAToken() throws Exception {
        String token = token();
        for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "FOO")) {
            for (String path : List.of("/", "/v1", "/v1/nothing", "/v1/status", "/v2/status", "/q/health", "/q/metrics",
                    "/v1/status;jsessionid=1", "/v1/status?x=%00", "/v1/%00")) {
                RawHttp.Answer anonymous = RawHttp.exchange(port(), request(method, path, "Content-Length: 0"));
                assertThat(anonymous.status()).as("%s %s without a token: %s", method, path, anonymous)
                        .isBetween(400, 499);
                noInsides(anonymous);
                if (anonymous.status() != 400) {
                    assertThat(anonymous.json()).as("%s %s: %s", method, path, anonymous).isTrue();
                }
                RawHttp.Answer authed = RawHttp.exchange(port(), request(method, path, "Authorization: Bearer " + token,
                        "Content-Length: 0"));
                // GET, and the HEAD and OPTIONS JAX-RS derives from it, of an endpoint that exists
                boolean known = List.of("GET", "HEAD", "OPTIONS").contains(method) && path.startsWith("/v1/status");
                if (known) {
                    assertThat(authed.status()).as("%s %s: %s", method, path, authed).isEqualTo(200);
                } else {
                    assertThat(authed.status()).as("%s %s with the token: %s", method, path, authed).isBetween(400, 499);
                    assertThat(authed.json()).as("%s %s: %s", method, path, authed).isTrue();
                }
                noInsides(authed);
            }
        }
    }

    @Test
    @Order(5)
    void pathTraversalReachesNothingButTheApi() throws Exception {
        String token = token();
        for (String path : List.of("/v1/../../../../etc/passwd", "/v1/status/../../../etc/passwd",
                "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/v1/profile/..%2f..%2f..%2f..%2fetc%2fpasswd",
                "/v1/profile/%2e%2e%2f%2e%2e%2fetc/passwd", "//etc/passwd", "/v1/profile/learned/../../../../etc/passwd",
                "/v1/profile/learned?format=../../../../etc/passwd", "/v1/violations?since=../../etc/passwd",
                "/..;/..;/etc/passwd", "/v1/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
                "/v1/profile/" + "..%252f".repeat(8) + "etc%252fpasswd")) {
            RawHttp.Answer a = RawHttp.exchange(port(), request("GET", path, "Authorization: Bearer " + token));
            assertThat(a.status()).as("GET %s: %s", path, a).isBetween(400, 499);
            noInsides(a);
            if (a.status() != 400) {
                assertThat(a.json()).as("GET %s: %s", path, a).isTrue();
            }
            RawHttp.Answer anonymous = RawHttp.exchange(port(), request("GET", path));
            assertThat(anonymous.status()).as("GET %s without a token: %s", path, anonymous).isBetween(400, 401);
        }
    }

    @Test
    @Order(6)
    void headerInjectionHugeAndDuplicateHeadersAreRefused() throws Exception {
        String token = token();
        // a CR or LF inside a header value is not a header boundary the server may honour
        for (String raw : List.of(
                "GET /v1/status HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\rX-Injected: 1\r\n\r\n",
                "GET /v1/status HTTP/1.1\r\nHost: x\r\nX-A: a\nAuthorization: Bearer " + token + "\r\n\r\n",
                "GET /v1/status HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\u0000\r\n\r\n",
                "GET /v1/status HTTP/1.1\r\nHost: x\r\nAuthorization : Bearer " + token + "\r\n\r\n",
                "GET /v1/status HTTP/1.1\r\nHost: x\r\n Authorization: Bearer " + token + "\r\n\r\n",
                "GET /v1/status\r\nAuthorization: Bearer " + token + "\r\n\r\n",
                "GET /v1/status HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nAuthorization: Bearer " + token + "\r\n\r\n",
                "GET /v1/status HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\nAuthorization: Bearer "
                        + token + "\r\n\r\nab")) {
            RawHttp.Answer a = RawHttp.exchange(port(), raw);
            assertThat(a.status()).as("%s -> %s", raw.replace("\r", "\\r").replace("\n", "\\n"), a)
                    .satisfiesAnyOf(s -> assertThat(s).isBetween(400, 499), s -> assertThat(s).isEqualTo(-1));
            noInsides(a);
            assertThat(a.header("x-injected")).isNull();
        }
        // duplicate Authorization: ambiguous, so refused, whichever of them is right
        for (String[] pair : List.of(new String[] {"Bearer " + token, "Bearer wrong-token-wrong-token"},
                new String[] {"Bearer wrong-token-wrong-token", "Bearer " + token},
                new String[] {"Bearer " + token, "Bearer " + token})) {
            RawHttp.Answer a = RawHttp.exchange(port(), request("GET", "/v1/status", "Authorization: " + pair[0],
                    "Authorization: " + pair[1]));
            jsonError(a, 401, "unauthorized");
        }
        // a header block over quarkus.http.limits.max-header-size (20K) and a request line over 4096: refused while
        // decoding, before any route; Vert.x answers 431 and 414 without a body and closes the connection
        RawHttp.Answer huge = RawHttp.exchange(port(), request("GET", "/v1/status", "Authorization: Bearer " + token,
                "X-Fill: " + "a".repeat(30 * 1024)));
        assertThat(huge.status()).as("%s", huge).isEqualTo(431);
        noInsides(huge);
        RawHttp.Answer longLine = RawHttp.exchange(port(), request("GET", "/v1/status?x=" + "a".repeat(5000),
                "Authorization: Bearer " + token));
        assertThat(longLine.status()).as("%s", longLine).isEqualTo(414);
        RawHttp.Answer notHttp = RawHttp.exchange(port(), "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n");
        assertThat(notHttp.status()).as("a TLS hello: %s", notHttp)
                .satisfiesAnyOf(s -> assertThat(s).isBetween(400, 499), s -> assertThat(s).isEqualTo(-1));
        // an h2c upgrade (what java.net.http.HttpClient sends by default) is served as HTTP/1.1; HTTP/2 with prior
        // knowledge is refused
        RawHttp.Answer upgrade = RawHttp.exchange(port(), request("GET", "/v1/status", "Authorization: Bearer " + token,
                "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA"));
        assertThat(upgrade.status()).as("%s", upgrade).isEqualTo(200);
        RawHttp.Answer upgradePost = RawHttp.exchange(port(), request("PUT", "/v1/mode", "Authorization: Bearer " + token,
                "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA",
                "Content-Type: text/plain", "Content-Length: 5") + "learn");
        assertThat(upgradePost.status()).as("%s", upgradePost).isEqualTo(200);
        RawHttp.Answer prior = RawHttp.exchange(port(), "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assertThat(prior.status()).as("%s", prior)
                .satisfiesAnyOf(s -> assertThat(s).isBetween(400, 499), s -> assertThat(s).isEqualTo(-1));
        // none of it got anywhere
        RawHttp.Answer ok = RawHttp.exchange(port(), request("GET", "/v1/status", "Authorization: Bearer " + token));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).contains("\"quarantined\":false");
    }

    @Test
    @Order(7)
    void connectionsBeyondTheLimitAreRefusedAndScanningGoesOn() throws Exception {
        List<RawHttp> held = new ArrayList<>();
        String token = token();
        try {
            int answered = 0;
            int closed = 0;
            for (int i = 0; i < AbuseProfile.MAX_CONNECTIONS * 4; i++) {
                RawHttp h = new RawHttp(port());
                held.add(h);
                // a complete request keeps the connection (keep-alive) once answered
                if (h.trySend(request("GET", "/v1/status", "Authorization: Bearer " + token))) {
                    h.timeout(3000);
                    RawHttp.Answer a = h.read();
                    if (a.status() == 200) {
                        answered++;
                    } else {
                        assertThat(a.status()).as("%s", a).isEqualTo(-1);
                        closed++;
                    }
                } else {
                    closed++;
                }
            }
            assertThat(answered).as("connections the control port kept").isEqualTo(AbuseProfile.MAX_CONNECTIONS);
            assertThat(closed).isEqualTo(AbuseProfile.MAX_CONNECTIONS * 3);
            long seq = scans();
            await().atMost(Duration.ofSeconds(5)).until(() -> scans() > seq + 2);
            assertThat(RestAssured.get(management("/q/health/live")).statusCode()).isEqualTo(200);
        } finally {
            for (RawHttp h : held) {
                h.close();
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() ->
                RawHttp.exchange(port(), request("GET", "/v1/status", "Authorization: Bearer " + token())).status() == 200);
    }

    private static long scans() {
        return RestAssured.get(management("/q/metrics")).asString().lines()
                .filter(l -> l.startsWith("picket_scans_total"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    @Order(100)
    void guessingTokensIsBrakedWith429JsonEvenForTheRightToken() throws Exception {
        String token = token();
        int refused = 0;
        int attempts = 0;
        RawHttp.Answer last = null;
        while (refused < 10 && attempts < AbuseProfile.MAX_FAILURES + 20) {
            last = RawHttp.exchange(port(), request("GET", "/v1/status",
                    "Authorization: Bearer guess-" + attempts++ + "-aaaaaaaaaaaaaaaa"));
            if (last.status() == 429) {
                refused++;
            } else {
                assertThat(refused).as("a guess answered after the brake").isZero();
                jsonError(last, 401, "unauthorized");
            }
        }
        assertThat(refused).as("calls past the brake").isGreaterThanOrEqualTo(10);
        jsonError(last, 429, "too_many_failures");
        assertThat(Integer.parseInt(last.header("retry-after"))).isBetween(1, 60);
        // the brake does not look at the token: the right one waits too (the documented price)
        jsonError(RawHttp.exchange(port(), request("GET", "/v1/status", "Authorization: Bearer " + token)), 429,
                "too_many_failures");
        assertThat(RestAssured.get(management("/q/metrics")).asString())
                .containsPattern("picket_control_rejected_total\\{status=\"429\"\\} [1-9]");
        assertThat(RestAssured.get(management("/q/health/ready")).statusCode()).isEqualTo(200);
    }
}
