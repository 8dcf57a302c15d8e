package dev.picket.kube;

import dev.picket.config.PicketConfig;
import dev.picket.profile.ActiveProfile;
import dev.picket.profile.Mode;
import dev.picket.profile.ViolationKind;
import dev.picket.profile.WorkloadProfileSpec;
import dev.picket.respond.QuarantineRecord;
import dev.picket.respond.QuarantineState;
import dev.picket.respond.QuarantineState.QuarantineChange;
import dev.picket.verdict.VerdictService;
import dev.picket.verdict.Violation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Kubernetes integration as a whole: decides at start whether it is on ({@link KubeSettings}), then runs
 * the pod watch, the profile informer, Events, status and the delivery queue, and connects them to the rest
 * of Picket through CDI events (violations, quarantine changes) and the {@link ClusterQuarantinePublisher}.
 * Nothing here blocks start-up or a scan on the API server.
 */
@ApplicationScoped
public class KubeRuntime {

    private static final Logger LOG = Logger.getLogger(KubeRuntime.class);

    @Inject
    PicketConfig config;
    @Inject
    Instance<KubernetesClient> clients;
    @Inject
    ActiveProfile profiles;
    @Inject
    QuarantineState quarantine;
    @Inject
    VerdictService verdicts;
    @Inject
    MeterRegistry registry;
    @Inject
    Clock clock;

    private volatile KubeSettings settings = new KubeSettings(false, "not started", Optional.empty());
    private volatile Parts parts;
    private volatile Instant startedAt;
    /** Set while a quarantine is restored from the label, so its Event says so. */
    private final ThreadLocal<Boolean> restoring = ThreadLocal.withInitial(() -> false);
    /** Violations seen (CDI events), by kind: what the status counts. */
    private final Map<ViolationKind, AtomicLong> violationCounts = new EnumMap<>(ViolationKind.class);
    /** Set while a release from the label is applied, so its Event says why. */
    private final ThreadLocal<String> releasing = new ThreadLocal<>();
    /**
     * True while a quarantine is being published: the pod watch may then see the label before the quarantine
     * state says so, which is our own label arriving, not an operator's.
     */
    private volatile boolean publishing;

    /** Everything that lives while the integration runs; replaced as a whole by a restart. */
    private record Parts(KubernetesClient client, PodIdentity pod, KubeQueue queue, ScheduledExecutorService scheduler,
            ExecutorService labeller, OwnPod ownPod, PodEvents events, StatusReporter status, ProfileWatch profiles,
            QuarantineLabel label) {
    }

    private Map<ViolationKind, Long> violationCounts() {
        Map<ViolationKind, Long> out = new EnumMap<>(ViolationKind.class);
        violationCounts.forEach((k, n) -> out.put(k, n.get()));
        return out;
    }

    /** Decides early (other beans ask {@link #enabled()} at start); a bad setting stops Picket with the reason. */
    @PostConstruct
    void resolve() {
        for (ViolationKind k : ViolationKind.values()) {
            violationCounts.put(k, new AtomicLong());
        }
        settings = KubeSettings.resolve(config.kube(), System.getenv());
    }

    // after QuarantineState has read its state file (default observer priority 2500)
    void onStart(@Observes @Priority(3000) StartupEvent event) {
        registry.gauge("picket.kube.queue.depth", this, KubeRuntime::queueDepth);
        // registered at zero so that alerts and dashboards see the series before the first drop
        for (KubeQueue.DropReason r : KubeQueue.DropReason.values()) {
            registry.counter("picket.kube.dropped", io.micrometer.core.instrument.Tags.of("reason", r.label()));
        }
        KubeSettings s = settings;
        if (!s.enabled()) {
            LOG.infof("Kubernetes integration off: %s", s.why());
            return;
        }
        // only where the API server is used: a 0 without an integration would read as an outage
        registry.gauge("picket.kube.api.reachable", this, r -> r.apiReachable() ? 1 : 0);
        LOG.infof("Kubernetes integration on: %s", s.why());
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop(true);
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public Optional<PodIdentity> pod() {
        return settings.pod();
    }

    /** Starts (or, after {@link #stop}, restarts with fresh parts: what a restarted sidecar would do). */
    synchronized void start() {
        if (parts != null || settings.pod().isEmpty()) {
            return;
        }
        PicketConfig.Kube k = config.kube();
        PodIdentity pod = settings.pod().get();
        KubernetesClient client = clients.get();
        KubeQueue queue = new KubeQueue(client, k.queueSize(), k.retryInitial(), k.retryMax(), registry);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("picket-kube").factory());
        ExecutorService labeller = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("picket-kube-label").factory());
        OwnPod[] own = new OwnPod[1];
        PodEvents events = new PodEvents(pod, queue, clock, k.eventSeriesWindow(), k.eventNoteLimit(),
                () -> own[0] == null ? null : own[0].current().map(p -> p.getMetadata().getUid()).orElse(null));
        StatusReporter status = new StatusReporter(pod, queue, clock, k.statusInterval(), this::violationCounts,
                quarantine::isQuarantined, this::learned);
        own[0] = new OwnPod(client, pod, scheduler, this::podSeen, k.retryInitial(), k.retryMax());
        ProfileWatch watch = new ProfileWatch(client, pod, profiles, own[0], events, status);
        QuarantineLabel label = new QuarantineLabel(config.state().dir(), pod);
        startedAt = clock.instant();
        parts = new Parts(client, pod, queue, scheduler, labeller, own[0], events, status, watch, label);
        queue.start();
        own[0].start();
        watch.start();
        long every = Math.max(200, Math.min(1000, k.statusInterval().toMillis() / 2));
        scheduler.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    /** Stops everything; with {@code leave}, first tells the profile's status that this pod is gone. */
    synchronized void stop(boolean leave) {
        Parts p = parts;
        if (p == null) {
            return;
        }
        parts = null;
        p.profiles().stop();
        p.ownPod().stop();
        if (leave) {
            KubeQueue.Delivery bye = p.status().leave();
            if (bye != null) {
                p.queue().offer(bye);
            }
            try {
                p.queue().awaitIdle(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        p.queue().stop();
        p.scheduler().shutdownNow();
        p.labeller().shutdownNow();
    }

    private void tick() {
        Parts p = parts;
        if (p != null) {
            p.status().tick();
            p.queue().flushDropLog();
        }
    }

    int queueDepth() {
        Parts p = parts;
        return p == null ? 0 : p.queue().depth();
    }

    boolean apiReachable() {
        Parts p = parts;
        return p != null && p.queue().reachable();
    }

    /** For tests: waits until every queued delivery was made or dropped. */
    boolean awaitDelivered(Duration timeout) throws InterruptedException {
        Parts p = parts;
        return p == null || p.queue().awaitIdle(timeout);
    }

    /** True when the start-up probe no longer needs to wait for the profile (see {@link KubeStartupCheck}). */
    boolean profileSettled(Duration wait) {
        Parts p = parts;
        if (p == null) {
            return true;
        }
        return p.profiles().resolved() || Duration.between(startedAt, clock.instant()).compareTo(wait) >= 0;
    }

    /** The pod as last read, for the authorizer (its service account). */
    Optional<Pod> ownPod() {
        Parts p = parts;
        return p == null ? Optional.empty() : p.ownPod().current();
    }

    /** The service account whose token this pod holds: from the pod spec, else from the mounted token. */
    Optional<String> ownServiceAccount() {
        Optional<String> fromPod = ownPod().map(p -> p.getSpec() == null ? null : p.getSpec().getServiceAccountName());
        if (fromPod.isPresent()) {
            return fromPod.map(sa -> "system:serviceaccount:" + settings.pod().map(PodIdentity::namespace).orElse("")
                    + ":" + sa);
        }
        try {
            String jwt = Files.readString(config.kube().tokenFile(), StandardCharsets.UTF_8).trim();
            String[] parts = jwt.split("\\.");
            if (parts.length >= 2) {
                String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
                var sub = new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload).path("sub");
                if (sub.isTextual()) {
                    return Optional.of(sub.asText());
                }
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            LOG.debugf("cannot read the service account from the token: %s", e.getMessage());
        }
        return Optional.empty();
    }

    /** What this replica learned, for the status; null when it has not learned anything. */
    private WorkloadProfileSpec learned() {
        var learner = verdicts.learner();
        if (learner == null || learner.scans() == 0 || profiles.current().mode() != Mode.LEARN) {
            return null; // reported while learning, into the profile that is learning
        }
        return LearnedUnion.union(learner.spec(), null);
    }

    // ---- the quarantine label ----

    /** Called by {@link ClusterQuarantinePublisher} before readiness goes down; bounded by label-timeout. */
    String publish(QuarantineRecord r) {
        Parts p = parts;
        if (p == null) {
            return "no cluster: the state file is the record";
        }
        if (p.ownPod().current().map(QuarantineLabel::labelled).orElse(false)) {
            return "pod " + p.pod() + " already carries " + QuarantineLabel.LABEL;
        }
        publishing = true;
        try {
            return label(p, r);
        } finally {
            publishing = false;
        }
    }

    private String label(Parts p, QuarantineRecord r) {
        Future<?> f = p.labeller().submit(() -> p.label().set(p.client(), r));
        Duration timeout = config.kube().labelTimeout();
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return "pod " + p.pod() + " labelled " + QuarantineLabel.LABEL + "=true";
        } catch (TimeoutException e) {
            p.queue().offer(labelRetry(p, r));
            return "the API server did not answer within " + timeout.toMillis() + " ms; the label "
                    + QuarantineLabel.LABEL + " is retried through the queue";
        } catch (ExecutionException e) {
            p.queue().offer(labelRetry(p, r));
            return "could not label pod " + p.pod() + " (" + ApiFailures.describe(e.getCause())
                    + "); the label is retried through the queue";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.queue().offer(labelRetry(p, r));
            return "interrupted while labelling the pod; the label is retried through the queue";
        } catch (RuntimeException e) {
            p.queue().offer(labelRetry(p, r));
            return "could not label the pod (" + e + "); the label is retried through the queue";
        }
    }

    private static KubeQueue.Delivery labelRetry(Parts p, QuarantineRecord r) {
        return new KubeQueue.Delivery() {
            @Override
            public String key() {
                return "quarantine-label";
            }

            @Override
            public String what() {
                return "label " + QuarantineLabel.LABEL + " on pod " + p.pod();
            }

            @Override
            public boolean critical() {
                return true;
            }

            @Override
            public void deliver(KubernetesClient client) {
                Pod now = client.pods().inNamespace(p.pod().namespace()).withName(p.pod().name()).get();
                if (!QuarantineLabel.labelled(now)) {
                    p.label().set(client, r);
                }
            }
        };
    }

    /** Every version of the own pod: settle label against state, then let the profile selection look. */
    private void podSeen(Pod pod) {
        Parts p = parts;
        if (p == null) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        boolean labelled = QuarantineLabel.labelled(pod);
        boolean seen = p.label().seenBefore(uid);
        QuarantineLabel.Action action = QuarantineLabel.decide(quarantine.isQuarantined() || publishing, labelled, seen);
        switch (action) {
            case QUARANTINE_FROM_LABEL -> {
                String reason = QuarantineLabel.reason(pod).orElse("the pod carries " + QuarantineLabel.LABEL + "=true");
                LOG.warnf("pod %s carries %s=true: quarantining (%s)", p.pod(), QuarantineLabel.LABEL, reason);
                restoring.set(true);
                try {
                    quarantine.quarantine(new QuarantineRecord(reason, clock.instant(), null, null,
                            "pod label " + QuarantineLabel.LABEL));
                } finally {
                    restoring.set(false);
                }
                p.label().markSeen(uid);
            }
            case CONFIRM -> {
                if (!seen) {
                    p.label().markSeen(uid);
                }
            }
            case RELEASE -> quarantine.current().ifPresent(r -> {
                String why = "the label " + QuarantineLabel.LABEL + " was removed from pod " + p.pod();
                releasing.set(why);
                try {
                    quarantine.release(r, why);
                } finally {
                    releasing.remove();
                }
            });
            case PUBLISH -> quarantine.current().ifPresent(r -> p.queue().offer(labelRetry(p, r)));
            case NOTHING -> {
                if (seen) {
                    p.label().clearSeen();
                }
            }
        }
        p.profiles().podChanged();
    }

    // ---- what the rest of Picket tells us (synchronous CDI events: only queue) ----

    void onViolation(@Observes Violation v) {
        violationCounts.get(v.kind()).incrementAndGet();
        Parts p = parts;
        if (p != null) {
            p.events().violation(v);
            p.status().markDirty();
        }
    }

    void onQuarantineChange(@Observes QuarantineChange change) {
        Parts p = parts;
        if (p == null) {
            return;
        }
        if (change.quarantined()) {
            p.events().quarantined(change.record(), restoring.get());
        } else {
            p.label().clearSeen();
            String why = releasing.get();
            p.events().released(change.record(), why != null ? why
                    : "the quarantine record in " + config.state().dir() + " was removed");
        }
        p.status().markDirty();
    }
}
