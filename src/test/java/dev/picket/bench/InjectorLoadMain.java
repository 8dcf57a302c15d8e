package dev.picket.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator for the injector's webhook, run in the benchmark's network namespace with the
 * injector as its child: AdmissionReviews go out at a fixed arrival rate whatever the answers do, and each
 * latency is measured from the request's intended send time, so a server (or a client) that falls behind
 * shows as latency instead of as fewer requests (coordinated omission). HTTPS over loopback, HTTP/1.1,
 * with the self-signed certificate the injector serves in {@code mounted} TLS mode as the only trust anchor. The
 * injector's Kubernetes API is the fabric8 mock server, with no namespaces and no WorkloadProfiles; the
 * fixture pod carries {@code picket.dev/inject: "true"}, so no request waits on it.
 *
 * <p>Arguments: a request file (JSON) and the result file.
 */
public final class InjectorLoadMain {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HTTPS_PORT = 8443;
    private static final int MANAGEMENT_PORT = 9000;
    private static final java.util.regex.Pattern ALLOWED = java.util.regex.Pattern.compile("\"allowed\"\\s*:\\s*true");

    public static void main(String[] args) throws Exception {
        JsonNode req = JSON.readTree(Path.of(args[0]).toFile());
        Path log = Path.of(req.get("log").asText());
        // The injector's informers (namespaces, WorkloadProfiles) must sync before it admits a pod: the
        // fabric8 mock API server in CRUD mode serves them, empty, over HTTPS on loopback.
        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), true);
        api.init(InetAddress.getByName("127.0.0.1"), 0);
        List<String> cmd = new ArrayList<>();
        cmd.add(req.get("java").asText());
        for (JsonNode f : req.get("flags")) {
            cmd.add(f.asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = req.get("props").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            cmd.add("-D" + e.getKey() + "=" + e.getValue().asText());
        }
        cmd.add("-Dquarkus.kubernetes-client.api-server-url=" + api.url("/"));
        cmd.add("-Dquarkus.kubernetes-client.trust-certs=true");
        cmd.add("-jar");
        cmd.add(req.get("jar").asText());
        long t0 = System.nanoTime();
        Process injector = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ObjectNode result = JSON.createObjectNode();
        try {
            HttpClient plain = HttpClient.newHttpClient();
            long deadline = t0 + 120_000_000_000L;
            while (true) {
                if (!injector.isAlive()) {
                    throw new IllegalStateException("the injector exited with " + injector.exitValue());
                }
                try {
                    HttpResponse<Void> r = plain.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + MANAGEMENT_PORT + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the injector did not become ready");
                }
                Thread.sleep(50);
            }
            result.put("startupMs", Bench.round((System.nanoTime() - t0) / 1e6));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(trusting(Path.of(req.get("certFile").asText()))).connectTimeout(Duration.ofSeconds(5))
                    .build();
            URI uri = URI.create("https://127.0.0.1:" + HTTPS_PORT + "/mutate");
            byte[][] bodies = bodies(Path.of(req.get("fixture").asText()), 1000);
            // one request in full, to be sure it is what a labelled pod gets: allowed, with a patch (the management
            // port answers ready a moment before the HTTPS server listens)
            HttpResponse<String> probe = null;
            while (probe == null) {
                try {
                    probe = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies[0])).build(), HttpResponse.BodyHandlers.ofString());
                } catch (java.net.ConnectException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
            JsonNode answer = JSON.readTree(probe.body());
            if (probe.statusCode() != 200 || !answer.path("response").path("allowed").asBoolean()
                    || answer.path("response").path("patch").asText().isEmpty()) {
                throw new IllegalStateException("the injector did not inject the fixture: " + probe.statusCode() + " "
                        + probe.body());
            }
            int warmup = req.get("warmupSeconds").asInt();
            int seconds = req.get("seconds").asInt();
            int connections = req.get("connections").asInt();
            ArrayNode phases = result.putArray("phases");
            for (JsonNode rate : req.get("rates")) {
                int r = rate.asInt();
                run(client, uri, bodies, r, warmup, connections, null);
                long cpu0 = SidecarBenchMain.runNanos(injector.pid());
                long w0 = System.nanoTime();
                ObjectNode phase = JSON.createObjectNode();
                run(client, uri, bodies, r, seconds, connections, phase);
                phase.put("injectorCpuShare", Bench.round((SidecarBenchMain.runNanos(injector.pid()) - cpu0)
                        / (double) (System.nanoTime() - w0)));
                phase.put("injectorRssMiB", Bench.kb(Path.of("/proc", Long.toString(injector.pid()), "status"), "VmRSS") / 1024);
                phases.add(phase);
            }
        } finally {
            injector.destroy();
            if (!injector.waitFor(30, TimeUnit.SECONDS)) {
                injector.destroyForcibly();
            }
            api.destroy();
        }
        Files.writeString(Path.of(args[1]), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.exit(0);
    }

    /** Sends {@code rate} requests per second for {@code seconds}; records into {@code out} when it is not null. */
    static void run(HttpClient client, URI uri, byte[][] bodies, int rate, int seconds, int connections, ObjectNode out)
            throws InterruptedException {
        int n = rate * seconds;
        // at most this many requests in flight, so at most this many connections (the JDK client opens one per
        // concurrent HTTP/1.1 request): a request whose time has come waits for a free one, and the wait counts
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(connections);
        double[] latency = new double[n];
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        List<String> errorSamples = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(n);
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime() + 10_000_000L;
        long maxLag = 0;
        for (int i = 0; i < n; i++) {
            long intended = start + i * period;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            slots.acquire();
            maxLag = Math.max(maxLag, System.nanoTime() - intended);
            int k = i;
            HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(bodies[i % bodies.length]))
                    .build();
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
                latency[k] = (System.nanoTime() - intended) / 1e6;
                if (err != null) {
                    errors.incrementAndGet();
                    if (err instanceof java.net.http.HttpTimeoutException
                            || err.getCause() instanceof java.net.http.HttpTimeoutException) {
                        timeouts.incrementAndGet();
                    }
                    if (errorSamples.size() < 5) {
                        errorSamples.add(String.valueOf(err));
                    }
                } else if (resp.statusCode() != 200 || !ALLOWED.matcher(resp.body()).find()) {
                    errors.incrementAndGet();
                    if (errorSamples.size() < 5) {
                        errorSamples.add(resp.statusCode() + " " + resp.body().substring(0, Math.min(200, resp.body().length())));
                    }
                }
                slots.release();
                done.countDown();
            });
        }
        long sendEnd = System.nanoTime();
        boolean all = done.await(30, TimeUnit.SECONDS);
        if (out == null) {
            return;
        }
        out.put("rate", rate);
        out.put("connections", connections);
        out.put("seconds", seconds);
        out.put("requests", n);
        out.put("achievedRate", Bench.round(n / ((sendEnd - start) / 1e9)));
        out.put("errors", errors.get() + (all ? 0 : (int) done.getCount()));
        out.put("timeouts", timeouts.get());
        out.putPOJO("errorSamples", errorSamples);
        // how late the generator sent, at worst: waiting for a free connection, or not scheduled in time
        out.put("generatorMaxLagMs", Bench.round(maxLag / 1e6));
        out.set("latencyMs", Bench.Summary.of(latency).json());
        double[] sorted = latency.clone();
        java.util.Arrays.sort(sorted);
        out.put("p999Ms", Bench.round(Bench.q(sorted, 0.999)));
    }

    /** The fixture, labelled for injection, with a distinct request uid per copy. */
    static byte[][] bodies(Path fixture, int count) throws IOException {
        ObjectNode review = (ObjectNode) JSON.readTree(fixture.toFile());
        ObjectNode metadata = (ObjectNode) review.get("request").get("object").get("metadata");
        ObjectNode labels = metadata.has("labels") ? (ObjectNode) metadata.get("labels") : metadata.putObject("labels");
        labels.put("picket.dev/inject", "true");
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            ((ObjectNode) review.get("request")).put("uid", String.format("00000000-0000-4000-8000-%012d", i));
            out[i] = JSON.writeValueAsBytes(review);
        }
        return out;
    }

    static SSLContext trusting(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            ks.setCertificateEntry("injector", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
