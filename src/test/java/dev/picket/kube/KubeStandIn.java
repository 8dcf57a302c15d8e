package dev.picket.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.picket.profile.WorkloadProfile;
import dev.picket.profile.WorkloadProfileSpec;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.kubernetes.client.KubernetesServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API server for the Quarkus tests: the fabric8 mock server in CRUD mode, reached through a {@link TcpProxy}
 * so a test can take it away and bring it back. TokenReview and SubjectAccessReview are not stored objects, so
 * they are answered by expectations of the same mock server, from a small table of tokens and grants (the
 * stand-in for the API server's authenticator and RBAC authoriser).
 */
public class KubeStandIn implements QuarkusTestResourceLifecycleManager {

    static final String NAMESPACE = "shop";
    static final String POD = "web-1";
    static final String SERVICE_ACCOUNT = "web-sa";

    /** token → username (and for a pod-bound token, the pod). */
    static final Map<String, String> USERS = Map.of(
            "operator-token", "system:serviceaccount:ops:operator",
            "late-token", "system:serviceaccount:ops:operator",
            "reader-token", "alice",
            "own-token", "system:serviceaccount:shop:web-sa");
    /** username → what RBAC grants it (verb/subresource of workloadprofiles in namespace shop). */
    static final Map<String, Set<String>> GRANTS = Map.of(
            "system:serviceaccount:ops:operator", Set.of("get/observed", "create/quarantine", "update/mode"),
            "alice", Set.of("get/observed"),
            "system:serviceaccount:shop:web-sa", Set.of("get/observed", "create/quarantine", "update/mode"));

    private static final ObjectMapper JSON = new ObjectMapper();

    private KubernetesServer server;
    private TcpProxy proxy;

    /** What a test gets injected: the mock server's own client (not through the proxy) and the proxy. */
    public record Handle(NamespacedKubernetesClient client, TcpProxy proxy) {
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
        reviews();
        seed(server.getClient());
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", "http://127.0.0.1:" + proxy.port(),
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.namespace", NAMESPACE,
                "quarkus.kubernetes-client.request-timeout", "3s",
                "quarkus.kubernetes-client.connection-timeout", "1s",
                "quarkus.kubernetes-client.request-retry-backoff-limit", "0",
                "quarkus.kubernetes-client.watch-reconnect-interval", "0.2s");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(new Handle(server.getClient(), proxy), new TestInjector.MatchesType(Handle.class));
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

    private static void seed(NamespacedKubernetesClient client) {
        client.resource(new PodBuilder().withNewMetadata().withName(POD).withNamespace(NAMESPACE)
                .addToLabels("app", "web").endMetadata()
                .withNewSpec().withServiceAccountName(SERVICE_ACCOUNT).endSpec().build()).create();
        client.resource(profile("web", """
                selector: {matchLabels: {app: web}}
                mode: monitor
                processes: {allowRoot: true, allow: [{exe: "/**"}]}
                """)).create();
        client.resource(profile("named", """
                mode: learn
                processes: {allowRoot: true, allow: [{exe: "/**"}]}
                """)).create();
    }

    static WorkloadProfile profile(String name, String specYaml) {
        try {
            WorkloadProfileSpec spec = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readValue(specYaml, WorkloadProfileSpec.class);
            WorkloadProfile wp = WorkloadProfile.of(name, spec);
            wp.getMetadata().setNamespace(NAMESPACE);
            return wp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** TokenReview and SubjectAccessReview answered from {@link #USERS} and {@link #GRANTS}. */
    private void reviews() {
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, request -> {
            JsonNode review = read(request.getUtf8Body());
            String token = review.at("/spec/token").asText();
            String user = USERS.get(token);
            Map<String, Object> status = user == null
                    ? Map.of("authenticated", false, "error", "invalid bearer token")
                    : Map.of("authenticated", true, "user", Map.of("username", user, "uid", "uid-" + token,
                            "groups", List.of("system:authenticated"),
                            "extra", token.equals("own-token")
                                    ? Map.of("authentication.kubernetes.io/pod-name", List.of(POD))
                                    : Map.of()));
            return Map.of("apiVersion", "authentication.k8s.io/v1", "kind", "TokenReview",
                    "spec", review.get("spec"), "status", status);
        }).always();
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews").andReply(201, request -> {
            JsonNode review = read(request.getUtf8Body());
            JsonNode attrs = review.at("/spec/resourceAttributes");
            String user = review.at("/spec/user").asText();
            boolean allowed = "picket.dev".equals(attrs.path("group").asText())
                    && "workloadprofiles".equals(attrs.path("resource").asText())
                    && NAMESPACE.equals(attrs.path("namespace").asText())
                    && GRANTS.getOrDefault(user, Set.of()).contains(attrs.path("verb").asText() + "/"
                            + attrs.path("subresource").asText());
            return Map.of("apiVersion", "authorization.k8s.io/v1", "kind", "SubjectAccessReview",
                    "spec", review.get("spec"), "status", allowed ? Map.of("allowed", true)
                            : Map.of("allowed", false, "reason", "no RBAC rule grants it"));
        }).always();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
