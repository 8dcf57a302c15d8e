package dev.picket.injector.kube;

import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.picket.injector.mutate.NamespaceInfo;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.StartupEvent;

/**
 * Namespace labels, which an AdmissionReview does not carry. Served from an informer's cache so the
 * webhook answers without an API round trip; a namespace the cache has not seen yet (created a moment
 * ago, or the informer is still syncing) is read directly. When neither works the labels are reported
 * as unknown and the decision says so instead of guessing.
 */
@ApplicationScoped
public class NamespaceDirectory {

    private static final Logger LOG = Logger.getLogger(NamespaceDirectory.class);

    @Inject
    KubernetesClient client;

    private volatile SharedIndexInformer<Namespace> informer;

    void start(@Observes StartupEvent event) {
        try {
            SharedIndexInformer<Namespace> created = client.namespaces().runnableInformer(0);
            // Keep retrying list/watch instead of giving up: until the cache syncs, lookups fall back to GET.
            created.exceptionHandler((started, failure) -> {
                LOG.warnf("namespace informer: %s (retrying)", failure.getMessage());
                return true;
            });
            created.start();
            informer = created;
        } catch (RuntimeException e) {
            LOG.warnf(e, "namespace informer could not start; namespace labels are read on each request");
        }
    }

    @PreDestroy
    void stop() {
        if (informer != null) {
            informer.stop();
        }
    }

    public NamespaceInfo lookup(String name) {
        SharedIndexInformer<Namespace> cache = informer;
        if (cache != null && cache.hasSynced()) {
            Namespace cached = cache.getStore().getByKey(name);
            if (cached != null) {
                return NamespaceInfo.known(name, labels(cached));
            }
        }
        try {
            Namespace namespace = client.namespaces().withName(name).get();
            // A namespace that does not exist has no labels; the API server will refuse the pod anyway.
            return NamespaceInfo.known(name, namespace == null ? Map.of() : labels(namespace));
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot read namespace %s: %s", name, e.getMessage());
            return NamespaceInfo.unknown(name);
        }
    }

    private static Map<String, String> labels(Namespace namespace) {
        return namespace.getMetadata() == null || namespace.getMetadata().getLabels() == null
                ? Map.of()
                : namespace.getMetadata().getLabels();
    }
}
