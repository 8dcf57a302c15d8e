package dev.picket.injector.kube;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.picket.injector.config.InjectorConfig;
import dev.picket.injector.policy.AdmissionProfile;
import dev.picket.injector.policy.ProfileLookup;
import dev.picket.injector.policy.ProfileParser;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.quarkus.runtime.StartupEvent;

/**
 * WorkloadProfiles from informers (one cluster-wide, or one per configured namespace), read as generic resources:
 * the injector does not share the sidecar's classes. Admission reads the cache only and never waits on the API
 * server; until an informer has synced its namespaces' profiles are unavailable, and the decision follows the
 * failure mode. At start-up the injector waits a bounded time for the first sync, so that a new replica does not
 * answer its first requests blind.
 */
@ApplicationScoped
public class ProfileDirectory {

    private static final Logger LOG = Logger.getLogger(ProfileDirectory.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final ResourceDefinitionContext WORKLOAD_PROFILES = new ResourceDefinitionContext.Builder()
            .withGroup("picket.dev").withVersion("v1alpha1").withKind("WorkloadProfile").withPlural("workloadprofiles")
            .withNamespaced(true).build();
    private static final String ALL = "";

    @Inject
    KubernetesClient client;

    @Inject
    InjectorConfig config;

    /** By namespace, or {@link #ALL} for the cluster-wide informer. */
    private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers = new ConcurrentHashMap<>();
    /** The last error of each informer's list or watch, for the message of an unavailable lookup. */
    private final Map<String, String> lastError = new ConcurrentHashMap<>();

    /** The watched namespaces; empty: all. */
    private volatile Set<String> watched = Set.of();

    void start(@Observes StartupEvent event) {
        start(config.profiles().namespaces().orElse(Set.of()), config.profiles().syncWait());
    }

    /** Starts one informer per namespace of {@code namespaces}, or one for all when it is empty. */
    void start(Set<String> namespaces, Duration syncWait) {
        watched = Set.copyOf(namespaces);
        if (namespaces.isEmpty()) {
            start(ALL);
        } else {
            namespaces.forEach(this::start);
        }
        awaitSync(syncWait);
    }

    private void start(String namespace) {
        try {
            var resources = client.genericKubernetesResources(WORKLOAD_PROFILES);
            SharedIndexInformer<GenericKubernetesResource> informer = namespace.equals(ALL)
                    ? resources.inAnyNamespace().runnableInformer(0)
                    : resources.inNamespace(namespace).runnableInformer(0);
            informer.exceptionHandler((started, failure) -> {
                String message = String.valueOf(failure.getMessage());
                if (!message.equals(lastError.put(namespace, message))) {
                    LOG.warnf("WorkloadProfile informer (%s): %s (retrying)", describe(namespace), message);
                }
                return true;
            });
            informer.start();
            informers.put(namespace, informer);
        } catch (RuntimeException e) {
            lastError.put(namespace, String.valueOf(e.getMessage()));
            LOG.warnf(e, "WorkloadProfile informer (%s) could not start", describe(namespace));
        }
    }

    private void awaitSync(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (var e : informers.entrySet()) {
            while (!e.getValue().hasSynced() && System.nanoTime() < deadline) {
                try {
                    TimeUnit.MILLISECONDS.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!e.getValue().hasSynced()) {
                LOG.warnf("WorkloadProfile informer (%s) has not synced after %s; pods it governs follow "
                        + "picket.injector.on-failure until it has", describe(e.getKey()), wait);
            }
        }
    }

    @PreDestroy
    void stop() {
        informers.values().forEach(SharedIndexInformer::stop);
    }

    /** The profiles of {@code namespace} from the cache, or why they are unknown. Never calls the API server. */
    public ProfileLookup lookup(String namespace) {
        String key = informers.containsKey(ALL) ? ALL : namespace;
        SharedIndexInformer<GenericKubernetesResource> informer = informers.get(key);
        if (informer == null) {
            if (!watched.isEmpty() && !watched.contains(namespace)) {
                return new ProfileLookup.Unavailable("the injector does not watch WorkloadProfiles in namespace "
                        + namespace + " (picket.injector.profiles.namespaces)");
            }
            return new ProfileLookup.Unavailable("the WorkloadProfile informer is not running"
                    + Optional.ofNullable(lastError.get(key)).map(m -> " (" + m + ")").orElse(""));
        }
        if (!informer.hasSynced()) {
            return new ProfileLookup.Unavailable("the WorkloadProfile cache has not synced yet"
                    + Optional.ofNullable(lastError.get(key)).map(m -> " (last error: " + m
                            + "; is the CRD workloadprofiles.picket.dev installed, and may the injector list it?)")
                            .orElse(""));
        }
        List<AdmissionProfile> profiles = new ArrayList<>();
        for (GenericKubernetesResource r : informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
            JsonNode tree = JSON.valueToTree(r);
            profiles.add(ProfileParser.parse(tree));
        }
        return new ProfileLookup.Available(profiles);
    }

    private static String describe(String namespace) {
        return namespace.equals(ALL) ? "all namespaces" : "namespace " + namespace;
    }
}
