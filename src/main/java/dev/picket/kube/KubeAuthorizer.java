package dev.picket.kube;

import dev.picket.api.ControlAuthorizer;
import dev.picket.api.LocalTokenAuthorizer;
import dev.picket.config.PicketConfig;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Who may call the control endpoint. Outside a cluster: the local token file ({@link LocalTokenAuthorizer}).
 * In a cluster: the bearer token is a Kubernetes token, authenticated with a TokenReview and authorised with a
 * SubjectAccessReview for a verb on a subresource-style name of {@code workloadprofiles} in the pod's namespace
 * (nothing in the API server serves these subresources; RBAC rules name them, see docs/kubernetes.md):
 * <ul>
 * <li>READ: {@code get workloadprofiles/observed}</li>
 * <li>QUARANTINE: {@code create workloadprofiles/quarantine}</li>
 * <li>MODE: {@code update workloadprofiles/mode}</li>
 * </ul>
 * The pod's own service account is refused whatever RBAC says: the workload next to Picket can read its token.
 * Answers are cached for {@code picket.kube.auth-cache-ttl}, keyed by the SHA-256 of the token (never the
 * token). When the API server cannot answer, every call is refused with 503 (fail closed).
 */
@ApplicationScoped
public class KubeAuthorizer implements ControlAuthorizer {

    private static final Logger LOG = Logger.getLogger(KubeAuthorizer.class);
    static final String GROUP = "picket.dev";
    static final String RESOURCE = "workloadprofiles";
    static final String POD_NAME_EXTRA = "authentication.kubernetes.io/pod-name";
    static final int MAX_CACHED = 1024;
    /** Longest wait for one TokenReview or SubjectAccessReview; the caller gets 503 after it. */
    static final long REVIEW_TIMEOUT_MS = 3000;

    @Inject
    KubeRuntime runtime;
    @Inject
    PicketConfig config;
    @Inject
    Instance<KubernetesClient> clients;
    @Inject
    Clock clock;

    private volatile ControlAuthorizer local;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final ExecutorService reviews = Executors.newFixedThreadPool(2,
            Thread.ofPlatform().daemon().name("picket-kube-review-", 0).factory());

    private record Cached(Decision decision, Instant until) {
    }

    /** The subresource and verb RBAC must grant for an operation. */
    record Permission(String verb, String subresource) {
        static Permission of(Operation op) {
            return switch (op) {
                case READ -> new Permission("get", "observed");
                case QUARANTINE -> new Permission("create", "quarantine");
                case MODE -> new Permission("update", "mode");
            };
        }
    }

    // after KubeRuntime decided whether the cluster is there; creates the local token file as before otherwise
    void onStart(@Observes @Priority(3100) StartupEvent event) {
        if (!runtime.enabled()) {
            local = new LocalTokenAuthorizer(config);
        }
    }

    /** In a cluster every uncached answer is a request to the API server: keep it off the event loop. */
    @Override
    public boolean mayBlock() {
        return runtime.enabled();
    }

    @Override
    public Decision authorize(String bearerToken, Operation operation) {
        if (!runtime.enabled()) {
            ControlAuthorizer l = local;
            if (l == null) {
                synchronized (this) {
                    if (local == null) {
                        local = new LocalTokenAuthorizer(config);
                    }
                    l = local;
                }
            }
            return l.authorize(bearerToken, operation);
        }
        String key = sha256(bearerToken) + "/" + operation;
        Instant now = clock.instant();
        Cached c = cache.get(key);
        if (c != null && c.until().isAfter(now)) {
            return c.decision();
        }
        Decision d;
        try {
            d = review(bearerToken, operation);
        } catch (Unavailable e) {
            LOG.warnf("control call refused: %s", e.getMessage());
            return new Decision(503, "kube_unavailable", e.getMessage(), null);
        }
        if (cache.size() >= MAX_CACHED) {
            cache.entrySet().removeIf(e -> !e.getValue().until().isAfter(now));
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
        }
        cache.put(key, new Cached(d, now.plus(config.kube().authCacheTtl())));
        return d;
    }

    private Decision review(String token, Operation operation) throws Unavailable {
        PodIdentity pod = runtime.pod().orElseThrow();
        KubernetesClient client = clients.get();
        TokenReview tr = call("TokenReview", () -> client.authentication().v1().tokenReviews()
                .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build()));
        if (tr.getStatus() == null || !Boolean.TRUE.equals(tr.getStatus().getAuthenticated())) {
            String why = tr.getStatus() == null || tr.getStatus().getError() == null ? ""
                    : ": " + tr.getStatus().getError();
            return new Decision(401, "unauthorized", "the API server did not accept the token (TokenReview)" + why, null);
        }
        UserInfo user = tr.getStatus().getUser();
        String username = user == null || user.getUsername() == null ? "" : user.getUsername();
        Optional<String> own = runtime.ownServiceAccount();
        if (own.isEmpty()) {
            throw new Unavailable("cannot tell this pod's own service account yet (pod " + pod
                    + " not read from the API server); refusing every token until it is known");
        }
        List<String> boundPod = user == null || user.getExtra() == null ? null : user.getExtra().get(POD_NAME_EXTRA);
        if (username.equals(own.get()) || boundPod != null && boundPod.contains(pod.name())
                && username.startsWith("system:serviceaccount:" + pod.namespace() + ":")) {
            return new Decision(403, "forbidden", username + " is this pod's own service account: the workload"
                    + " next to Picket can read its token, so it may not steer Picket. Call with another identity,"
                    + " e.g. a token from kubectl create token <operator-service-account>", username);
        }
        Permission need = Permission.of(operation);
        SubjectAccessReview sar = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(username)
                .withUid(user.getUid())
                .withGroups(user.getGroups())
                .withExtra(user.getExtra())
                .withNewResourceAttributes()
                .withGroup(GROUP).withResource(RESOURCE).withSubresource(need.subresource()).withVerb(need.verb())
                .withNamespace(pod.namespace())
                .endResourceAttributes()
                .endSpec().build();
        SubjectAccessReview answer = call("SubjectAccessReview", () -> client.authorization().v1()
                .subjectAccessReview().create(sar));
        if (answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed())) {
            return new Decision(200, null, null, username);
        }
        String reason = answer.getStatus() == null ? null
                : answer.getStatus().getReason() != null && !answer.getStatus().getReason().isBlank()
                        ? answer.getStatus().getReason() : answer.getStatus().getEvaluationError();
        return new Decision(403, "forbidden", username + " may not " + need.verb() + " " + RESOURCE + "/"
                + need.subresource() + " (group " + GROUP + ") in namespace " + pod.namespace() + ": grant verb \""
                + need.verb() + "\" on resource \"" + RESOURCE + "/" + need.subresource() + "\" of apiGroup \"" + GROUP
                + "\" with a Role and RoleBinding (docs/kubernetes.md)" + (reason == null ? "" : "; " + reason),
                username);
    }

    private <T> T call(String what, java.util.function.Supplier<T> request) throws Unavailable {
        CompletableFuture<T> f = CompletableFuture.supplyAsync(request, reviews);
        try {
            T answer = f.get(REVIEW_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (answer == null) {
                throw new Unavailable(what + " returned nothing");
            }
            return answer;
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new Unavailable("the Kubernetes API server did not answer the " + what + " within "
                    + REVIEW_TIMEOUT_MS + " ms; refusing (fail closed), try again");
        } catch (ExecutionException e) {
            throw new Unavailable("cannot check the caller with a " + what + " (" + ApiFailures.describe(e.getCause())
                    + "); refusing (fail closed), try again when the API server answers");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while waiting for the " + what);
        }
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The API server could not answer: the call is refused with 503, and nothing is cached. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }
}
