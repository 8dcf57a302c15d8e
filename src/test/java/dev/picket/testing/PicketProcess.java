package dev.picket.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged sidecar started as a real process ({@code java -jar quarkus-run.jar}), for tests about
 * restarts and crashes, which need a process that can be killed and started again.
 */
public final class PicketProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int controlPort;
    private final int managementPort;
    private final Path stateDir;

    private PicketProcess(Process process, int controlPort, int managementPort, Path stateDir) {
        this.process = process;
        this.controlPort = controlPort;
        this.managementPort = managementPort;
        this.stateDir = stateDir;
    }

    public static Path jar() {
        String jar = System.getProperty("picket.it.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("the packaged sidecar is missing (" + jar + "): run through failsafe after package");
        }
        return Path.of(jar);
    }

    public static PicketProcess start(Path stateDir, int controlPort, int managementPort, Path log, String... extraProps)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dpicket.state.dir=" + stateDir, "-Dquarkus.http.port=" + controlPort,
                "-Dquarkus.management.port=" + managementPort, "-Dpicket.scan.interval=250ms"));
        for (String p : extraProps) {
            cmd.add("-D" + p);
        }
        cmd.addAll(List.of("-jar", jar().toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new PicketProcess(p, controlPort, managementPort, stateDir);
    }

    public Process process() {
        return process;
    }

    /** Waits until /q/health/started answers 200. */
    public void awaitStarted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Picket exited with " + process.exitValue());
            }
            if (status("/q/health/started") == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Picket did not start within " + timeout);
    }

    public int status(String managementPath) {
        return get(managementPort, managementPath, null).statusCode();
    }

    public HttpResponse<String> management(String path) {
        return get(managementPort, path, null);
    }

    public HttpResponse<String> control(String method, String path, String body) throws IOException {
        String token = Files.readString(stateDir.resolve("control-token")).trim();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(5));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static HttpResponse<String> get(int port, String path, String token) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Failed(path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed(path);
        }
    }

    /** SIGKILL, as the kernel's OOM killer or a node failure would stop it. */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** A response for a call that could not connect. */
    private record Failed(String path) implements HttpResponse<String> {
        public int statusCode() {
            return -1;
        }

        public HttpRequest request() {
            return null;
        }

        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true);
        }

        public String body() {
            return "";
        }

        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        public URI uri() {
            return URI.create("http://127.0.0.1" + path);
        }

        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
