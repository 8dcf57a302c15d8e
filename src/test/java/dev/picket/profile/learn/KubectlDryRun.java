package dev.picket.profile.learn;

import com.sun.net.httpserver.HttpServer;
import dev.picket.testing.Host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl apply --dry-run=client} on a manifest. kubectl needs an API server even for a client-side dry run
 * (it maps kinds to resources through discovery and looks the object up), so this serves the discovery documents
 * for {@code networking.k8s.io/v1} on loopback and answers 404 to everything else: the object is new, and kubectl
 * prints what it would create. Field validation is left to {@link StrictNetworkPolicy} ({@code --validate=false}:
 * no OpenAPI document is served). Skips where kubectl is absent, fails under CI=true.
 */
public final class KubectlDryRun {

    private static final Map<String, String> DISCOVERY = Map.of(
            "/api", "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}",
            "/api/v1", "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":[]}",
            "/apis", "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[{\"name\":\"networking.k8s.io\","
                    + "\"versions\":[{\"groupVersion\":\"networking.k8s.io/v1\",\"version\":\"v1\"}],"
                    + "\"preferredVersion\":{\"groupVersion\":\"networking.k8s.io/v1\",\"version\":\"v1\"}}]}",
            "/apis/networking.k8s.io/v1", "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":"
                    + "\"networking.k8s.io/v1\",\"resources\":[{\"name\":\"networkpolicies\",\"singularName\":"
                    + "\"networkpolicy\",\"namespaced\":true,\"kind\":\"NetworkPolicy\",\"verbs\":[\"create\",\"delete\","
                    + "\"get\",\"list\",\"patch\",\"update\",\"watch\"],\"shortNames\":[\"netpol\"]}]}",
            "/version", "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0\"}");

    private KubectlDryRun() {
    }

    /** @return kubectl's output (the object it would create, as YAML); fails with kubectl's message otherwise */
    public static String apply(String manifest) {
        Host.requireCommand("kubectl");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = DISCOVERY.get(exchange.getRequestURI().getPath());
            byte[] bytes = (body == null ? "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                    + "\"reason\":\"NotFound\",\"code\":404}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        Path file = null;
        Path out = null;
        Path err = null;
        try {
            file = Files.createTempFile("picket-netpol", ".yaml");
            out = Files.createTempFile("picket-netpol", ".out");
            err = Files.createTempFile("picket-netpol", ".err");
            Files.writeString(file, manifest);
            Process kubectl = new ProcessBuilder(List.of("kubectl", "--kubeconfig=/dev/null",
                    "--server=http://127.0.0.1:" + server.getAddress().getPort(),
                    "apply", "--dry-run=client", "--validate=false", "-o", "yaml", "-f", file.toString()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!kubectl.waitFor(60, TimeUnit.SECONDS)) {
                kubectl.destroyForcibly();
                throw new AssertionError("kubectl apply --dry-run=client did not finish within 60 s");
            }
            if (kubectl.exitValue() != 0) {
                throw new AssertionError("kubectl apply --dry-run=client refused the manifest: " + Files.readString(err)
                        + "\n" + manifest);
            }
            return Files.readString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            server.stop(0);
            for (Path p : new Path[] {file, out, err}) {
                if (p != null) {
                    p.toFile().delete();
                }
            }
        }
    }
}
