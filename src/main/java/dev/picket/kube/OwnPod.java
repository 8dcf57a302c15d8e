package dev.picket.kube;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This sidecar's own pod, kept current with a GET and a watch on that one name (the sidecar's RBAC grants
 * {@code get} and {@code watch} on pods, not {@code list}). When the watch ends with an error (for example
 * 410 Gone after a long disconnection) the pod is read again and a new watch starts, with backoff while the
 * API server cannot be reached. Every version seen goes to the listener, on the watch's thread.
 */
final class OwnPod {

    private static final Logger LOG = Logger.getLogger(OwnPod.class);

    private final KubernetesClient client;
    private final PodIdentity pod;
    private final ScheduledExecutorService scheduler;
    private final Consumer<Pod> listener;
    private final Duration retryInitial;
    private final Duration retryMax;
    private volatile Pod current;
    private volatile Watch watch;
    private volatile boolean stopped;
    private Duration backoff;
    private boolean failing;

    OwnPod(KubernetesClient client, PodIdentity pod, ScheduledExecutorService scheduler, Consumer<Pod> listener,
            Duration retryInitial, Duration retryMax) {
        this.client = client;
        this.pod = pod;
        this.scheduler = scheduler;
        this.listener = listener;
        this.retryInitial = retryInitial;
        this.retryMax = retryMax;
        this.backoff = retryInitial;
    }

    void start() {
        scheduler.execute(this::connect);
    }

    void stop() {
        stopped = true;
        Watch w = watch;
        if (w != null) {
            w.close();
        }
    }

    /** The last version of the pod seen; empty until it was read once. */
    Optional<Pod> current() {
        return Optional.ofNullable(current);
    }

    Map<String, String> labels() {
        Pod p = current;
        return p == null || p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
    }

    Optional<String> annotation(String key) {
        Pod p = current;
        return p == null || p.getMetadata().getAnnotations() == null ? Optional.empty()
                : Optional.ofNullable(p.getMetadata().getAnnotations().get(key));
    }

    private synchronized void connect() {
        if (stopped) {
            return;
        }
        try {
            Pod p = client.pods().inNamespace(pod.namespace()).withName(pod.name()).get();
            if (p == null) {
                throw new IllegalStateException("pod " + pod + " does not exist (POD_NAME/POD_NAMESPACE wrong?)");
            }
            seen(p);
            watch = client.pods().inNamespace(pod.namespace()).withName(pod.name()).watch(
                    new ListOptionsBuilder().withResourceVersion(p.getMetadata().getResourceVersion()).build(),
                    new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, Pod resource) {
                            if (action != Action.DELETED && action != Action.ERROR && resource != null) {
                                seen(resource);
                            }
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                            if (!stopped) {
                                LOG.infof("watch on pod %s ended (%s); reading it again", pod,
                                        ApiFailures.describe(cause));
                                scheduler.schedule(OwnPod.this::connect, retryInitial.toMillis(), TimeUnit.MILLISECONDS);
                            }
                        }

                        @Override
                        public void onClose() {
                            if (!stopped) {
                                scheduler.schedule(OwnPod.this::connect, retryInitial.toMillis(), TimeUnit.MILLISECONDS);
                            }
                        }
                    });
            if (failing) {
                LOG.infof("reading pod %s works again", pod);
            }
            failing = false;
            backoff = retryInitial;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warnf("cannot read pod %s: %s; retrying with backoff (quarantine label and profile selection"
                        + " wait for it, enforcement does not)", pod, ApiFailures.describe(e));
            }
            failing = true;
            scheduler.schedule(this::connect, backoff.toMillis(), TimeUnit.MILLISECONDS);
            backoff = backoff.multipliedBy(2).compareTo(retryMax) > 0 ? retryMax : backoff.multipliedBy(2);
        }
    }

    private void seen(Pod p) {
        current = p;
        try {
            listener.accept(p);
        } catch (RuntimeException e) {
            LOG.errorf(e, "handling a change of pod %s failed", pod);
        }
    }
}
