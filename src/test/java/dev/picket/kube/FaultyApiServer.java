package dev.picket.kube;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.kubernetes.client.KubernetesServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The API server for {@link KubeFaultsQuarkusTest}: the fabric8 mock server in CRUD mode behind a {@link TcpProxy},
 * which makes it slow ({@link TcpProxy#latency}) or takes it away, while the test adds expectations that answer
 * 409, 429 or 500 for a number of calls before CRUD answers again. It starts slow: every request waits
 * {@link #START_LATENCY}, so Picket's start-up meets a slow API server.
 */
public class FaultyApiServer implements QuarkusTestResourceLifecycleManager {

    static final Duration START_LATENCY = Duration.ofMillis(1500);
    static final String PROFILE = "enforcing";

    private KubernetesServer server;
    private TcpProxy proxy;

    /** What the test gets injected. */
    public record Handle(KubernetesServer server, TcpProxy proxy) {
    }

    @Override
    public Map<String, String> start() {
        server = new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
        server.before();
        try {
            proxy = new TcpProxy(server.getKubernetesMockServer().getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var client = server.getClient();
        client.resource(new PodBuilder().withNewMetadata().withName(KubeStandIn.POD).withNamespace(KubeStandIn.NAMESPACE)
                .addToLabels("app", "web").endMetadata().withNewSpec().withServiceAccountName(KubeStandIn.SERVICE_ACCOUNT)
                .endSpec().build()).create();
        try {
            client.resource(KubeStandIn.profile(PROFILE, String.join("\n",
                    "mode: enforce",
                    "processes:",
                    "  allowRoot: true",
                    "  allow:",
                    "    - exe: " + Path.of("/bin/sh").toRealPath(),
                    "    - exe: " + Path.of("/bin/sleep").toRealPath(),
                    "actions:",
                    "  process: kill",
                    ""))).create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        proxy.latency(START_LATENCY);
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", "http://127.0.0.1:" + proxy.port(),
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.namespace", KubeStandIn.NAMESPACE,
                "quarkus.kubernetes-client.request-timeout", "3s",
                "quarkus.kubernetes-client.connection-timeout", "1s",
                "quarkus.kubernetes-client.request-retry-backoff-limit", "0",
                "quarkus.kubernetes-client.watch-reconnect-interval", "0.2s");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(new Handle(server, proxy), new TestInjector.MatchesType(Handle.class));
    }

    @Override
    public void stop() {
        try {
            proxy.close();
        } catch (IOException e) {
            // ends with the JVM anyway
        }
        server.after();
    }
}
