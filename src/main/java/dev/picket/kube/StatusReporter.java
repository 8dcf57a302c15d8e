package dev.picket.kube;

import dev.picket.profile.ViolationKind;
import dev.picket.profile.WorkloadProfile;
import dev.picket.profile.WorkloadProfileSpec;
import dev.picket.profile.WorkloadProfileStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Writes this pod's share of its WorkloadProfile's status ({@link StatusMerge}): at most once per
 * {@code picket.kube.status-interval}, and only when something changed. Each write reads the resource, folds
 * the share in, and sends a JSON Patch to the {@code status} subresource that replaces the status and sets the
 * {@code resourceVersion} it read: the API server refuses it with 409 when another replica wrote in between,
 * and the write starts over from a fresh read. Violations are sent as deltas and counted as reported only
 * after a write succeeded, so counts are neither lost nor doubled.
 */
final class StatusReporter {

    private static final Logger LOG = Logger.getLogger(StatusReporter.class);
    static final int MAX_ATTEMPTS = 8;
    /** Pod names of other replicas are checked for existence at most this often, a few per write. */
    static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    static final int PRUNE_PER_WRITE = 10;

    private final PodIdentity pod;
    private final KubeQueue queue;
    private final Clock clock;
    private final Duration interval;
    private final Supplier<Map<ViolationKind, Long>> counts;
    private final BooleanSupplier quarantined;
    private final Supplier<WorkloadProfileSpec> learned;

    /** Test seam: runs between the read and the write of every attempt. */
    volatile Runnable beforeWrite = () -> {
    };

    private final Object lock = new Object();
    private String target;
    private Long generation;
    private Condition accepted;
    private boolean dirty;
    private Instant lastWrite = Instant.EPOCH;
    private Instant lastPrune = Instant.EPOCH;
    /** What this pod's learning was when last written: a change is a reason to write. */
    private WorkloadProfileSpec lastLearned;
    private final Map<ViolationKind, Long> reported = new EnumMap<>(ViolationKind.class);

    StatusReporter(PodIdentity pod, KubeQueue queue, Clock clock, Duration interval,
            Supplier<Map<ViolationKind, Long>> counts, BooleanSupplier quarantined, Supplier<WorkloadProfileSpec> learned) {
        this.pod = Objects.requireNonNull(pod);
        this.queue = queue;
        this.clock = clock;
        this.interval = interval;
        this.counts = counts;
        this.quarantined = quarantined;
        this.learned = learned;
        counts.get().forEach(reported::put);
    }

    /**
     * The pod now uses {@code profile} (accepted or refused with {@code message}); a previous profile is told
     * that this pod left it.
     */
    void use(WorkloadProfile profile, boolean ok, String reason, String message) {
        String name = profile.getMetadata().getName();
        String previous;
        synchronized (lock) {
            previous = target;
            target = name;
            generation = profile.getMetadata().getGeneration();
            accepted = new ConditionBuilder().withType(StatusMerge.ACCEPTED).withStatus(ok ? "True" : "False")
                    .withReason(reason).withMessage(EventNotes.note(message, 1024))
                    .withObservedGeneration(generation)
                    .withLastTransitionTime(clock.instant().toString()).build();
            dirty = true;
        }
        if (previous != null && !previous.equals(name)) {
            queue.offer(new Write(previous, false));
        }
        queue.offer(new Write(name, true));
    }

    void markDirty() {
        synchronized (lock) {
            dirty = true;
        }
    }

    /** Called every status interval: queues a write when something changed and the last one is old enough. */
    void tick() {
        String name;
        synchronized (lock) {
            Instant now = clock.instant();
            if (target == null || Duration.between(lastWrite, now).compareTo(interval) < 0
                    || !dirty && !countsChanged() && Objects.equals(learned.get(), lastLearned)) {
                return;
            }
            name = target;
        }
        queue.offer(new Write(name, true));
    }

    /** This pod stops using its profile (shutdown): remove it from the status. */
    KubeQueue.Delivery leave() {
        synchronized (lock) {
            return target == null ? null : new Write(target, false);
        }
    }

    private boolean countsChanged() {
        Map<ViolationKind, Long> now = counts.get();
        for (Map.Entry<ViolationKind, Long> e : now.entrySet()) {
            if (!Objects.equals(e.getValue(), reported.getOrDefault(e.getKey(), 0L))) {
                return true;
            }
        }
        return false;
    }

    /** One status write for profile {@code name}; coalesced per profile and direction in the queue. */
    final class Write implements KubeQueue.Delivery {
        private final String name;
        private final boolean watching;

        Write(String name, boolean watching) {
            this.name = name;
            this.watching = watching;
        }

        @Override
        public String key() {
            return "status:" + name;
        }

        @Override
        public String what() {
            return "status of WorkloadProfile " + pod.namespace() + "/" + name
                    + (watching ? "" : " (pod " + pod.name() + " leaves)");
        }

        @Override
        public void deliver(KubernetesClient client) {
            KubernetesClientException conflict = null;
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                var resource = client.resources(WorkloadProfile.class).inNamespace(pod.namespace()).withName(name);
                WorkloadProfile wp = resource.get();
                if (wp == null) {
                    LOG.debugf("WorkloadProfile %s/%s is gone; no status to write", pod.namespace(), name);
                    return;
                }
                Map<ViolationKind, Long> now = counts.get();
                Map<String, Long> delta = new LinkedHashMap<>();
                Long gen;
                Condition cond;
                boolean mine;
                synchronized (lock) {
                    mine = watching && name.equals(target);
                    for (ViolationKind k : ViolationKind.values()) {
                        long d = now.getOrDefault(k, 0L) - reported.getOrDefault(k, 0L);
                        if (d > 0 && mine) {
                            delta.put(k.wire(), d);
                        }
                    }
                    gen = mine ? generation : null;
                    cond = mine ? accepted : null;
                }
                WorkloadProfileSpec learnedNow = mine ? learned.get() : null;
                StatusMerge.Share share = new StatusMerge.Share(pod.name(), mine, quarantined.getAsBoolean(), delta,
                        learnedNow, gen, cond);
                WorkloadProfileStatus next = StatusMerge.fold(wp.getStatus(), share, gone(client, wp.getStatus()));
                beforeWrite.run();
                try {
                    if (!next.equals(wp.getStatus())) {
                        // JSON Patch: the status is replaced as a whole (a merge patch would merge lists in
                        // some servers), and the resourceVersion read above makes it conditional (409 if stale)
                        List<Map<String, Object>> patch = List.of(
                                Map.of("op", "replace", "path", "/metadata/resourceVersion",
                                        "value", wp.getMetadata().getResourceVersion()),
                                Map.of("op", "add", "path", "/status", "value", next));
                        resource.subresource("status").patch(PatchContext.of(PatchType.JSON),
                                client.getKubernetesSerialization().asJson(patch));
                    }
                    synchronized (lock) {
                        if (mine) {
                            now.forEach(reported::put);
                            lastLearned = learnedNow;
                            dirty = false;
                        }
                        lastWrite = clock.instant();
                    }
                    return;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                    conflict = e;
                    LOG.debugf("status of %s/%s changed by another writer (attempt %d); reading again",
                            pod.namespace(), name, attempt);
                }
            }
            throw conflict;
        }
    }

    /** Names in the status whose pods no longer exist (checked a few at a time, once a minute). */
    private Set<String> gone(KubernetesClient client, WorkloadProfileStatus status) {
        Set<String> gone = new HashSet<>();
        if (status == null || status.getPods() == null) {
            return gone;
        }
        synchronized (lock) {
            Instant now = clock.instant();
            if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) < 0) {
                return gone;
            }
            lastPrune = now;
        }
        Set<String> candidates = new java.util.TreeSet<>(status.getPods());
        if (status.getQuarantinedPods() != null) {
            candidates.addAll(status.getQuarantinedPods());
        }
        candidates.remove(pod.name());
        candidates.stream().limit(PRUNE_PER_WRITE).forEach(n -> {
            if (client.pods().inNamespace(pod.namespace()).withName(n).get() == null) {
                gone.add(n);
            }
        });
        if (!gone.isEmpty()) {
            LOG.infof("removing pods that no longer exist from the status: %s", gone);
        }
        return gone;
    }
}
