package dev.picket.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.picket.profile.WorkloadProfile;
import dev.picket.respond.QuarantineRecord;
import dev.picket.verdict.Violation;
import dev.picket.verdict.ViolationAction;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventSeriesBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Kubernetes Events ({@code events.k8s.io/v1}) about the pod, from reporting controller {@value #CONTROLLER}
 * and reporting instance = the pod's name. A violation repeated by the same rule and executable within
 * {@code picket.kube.event-series-window} does not create another Event: the first one gets a {@code series}
 * whose {@code count} and {@code lastObservedTime} are updated (coalesced in the queue, so a burst costs one
 * write). Nothing here talks to the API server: every Event is a {@link KubeQueue.Delivery}.
 */
final class PodEvents {

    static final String CONTROLLER = "picket.dev/sidecar";
    static final String VIOLATION = "PicketViolation";
    static final String QUARANTINED = "PicketQuarantined";
    static final String RELEASED = "PicketReleased";
    static final String PROFILE_REJECTED = "PicketProfileRejected";
    static final String PROFILE_AMBIGUOUS = "PicketProfileAmbiguous";
    /** Distinct violation series remembered; the least recently repeated is forgotten first. */
    static final int MAX_SERIES = 256;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PodIdentity pod;
    private final KubeQueue queue;
    private final Clock clock;
    private final Duration window;
    private final int noteLimit;
    private final Supplier<String> podUid;
    private final AtomicLong sequence = new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 16));
    private final Map<String, Series> series = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Series> eldest) {
            return size() > MAX_SERIES;
        }
    };

    /** One Event and how often it happened; shared by the deliveries that create and update it. */
    private static final class Series {
        final Event first;
        final Instant started;
        volatile boolean created;
        long count;
        Instant last;

        Series(Event first, Instant started) {
            this.first = first;
            this.started = started;
            this.count = 1;
            this.last = started;
        }
    }

    PodEvents(PodIdentity pod, KubeQueue queue, Clock clock, Duration window, int noteLimit, Supplier<String> podUid) {
        this.pod = Objects.requireNonNull(pod);
        this.queue = Objects.requireNonNull(queue);
        this.clock = Objects.requireNonNull(clock);
        this.window = window;
        this.noteLimit = noteLimit;
        this.podUid = podUid;
    }

    /** A violation: Warning {@value #VIOLATION}, aggregated by rule and executable. */
    void violation(Violation v) {
        Instant now = clock.instant();
        String key = v.kind().wire() + "|" + v.rule() + "|" + (v.exe() == null ? "-" : v.exe());
        Series s;
        long count;
        Instant last;
        synchronized (series) {
            s = series.get(key);
            if (s == null || Duration.between(s.started, now).compareTo(window) >= 0) {
                s = new Series(event(VIOLATION, "Warning", action(v.action()), violationNote(v), now, null), now);
                series.put(key, s);
            } else {
                s.count++;
                s.last = now;
            }
            count = s.count;
            last = s.last;
        }
        queue.offer(new SeriesDelivery(s, count, last));
    }

    void quarantined(QuarantineRecord r, boolean restored) {
        String note = (restored ? "Quarantine restored from the pod label picket.dev/quarantined: " : "Quarantined: ")
                + r.reason() + (r.violationId() != null ? " (violation " + r.violationId() + ")" : "")
                + ". Readiness is DOWN; remove the label picket.dev/quarantined from the pod to release it.";
        single(event(QUARANTINED, "Warning", "Quarantine", note, clock.instant(), null));
    }

    void released(QuarantineRecord r, String why) {
        single(event(RELEASED, "Normal", "Release", "Quarantine released: " + why + ". It was: " + r.reason()
                + ". Readiness is UP again.", clock.instant(), null));
    }

    void profileRejected(WorkloadProfile profile, String message) {
        single(event(PROFILE_REJECTED, "Warning", "RejectProfile", message, clock.instant(), reference(profile)));
    }

    void profileAmbiguous(WorkloadProfile chosen, String message) {
        single(event(PROFILE_AMBIGUOUS, "Warning", "SelectProfile", message, clock.instant(), reference(chosen)));
    }

    private void single(Event e) {
        queue.offer(new SeriesDelivery(new Series(e, clock.instant()), 1, null));
    }

    private Event event(String reason, String type, String action, String note, Instant now, ObjectReference related) {
        String name = EventNotes.bounded(pod.name(), 200) + "."
                + Long.toHexString(now.toEpochMilli()) + Long.toHexString(sequence.incrementAndGet());
        return new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(pod.namespace()).endMetadata()
                .withEventTime(EventNotes.micro(now))
                .withReportingController(CONTROLLER)
                .withReportingInstance(EventNotes.bounded(pod.name(), 128))
                .withAction(action)
                .withReason(reason)
                .withType(type)
                .withRegarding(pod.reference(podUid.get()))
                .withRelated(related)
                .withNote(EventNotes.note(note, noteLimit))
                .build();
    }

    private static ObjectReference reference(WorkloadProfile p) {
        if (p == null || p.getMetadata() == null) {
            return null;
        }
        return new ObjectReferenceBuilder().withApiVersion(WorkloadProfile.API_VERSION).withKind(WorkloadProfile.KIND)
                .withNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName())
                .withUid(p.getMetadata().getUid()).build();
    }

    static String action(ViolationAction a) {
        return switch (a) {
            case REPORTED -> "Report";
            case KILLED -> "Kill";
            case QUARANTINED -> "Quarantine";
            case WOULD_KILL -> "WouldKill";
            case WOULD_QUARANTINE -> "WouldQuarantine";
            default -> {
                StringBuilder sb = new StringBuilder();
                for (String part : a.name().toLowerCase(Locale.ROOT).split("_")) {
                    if (!part.isEmpty()) {
                        sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
                    }
                }
                yield sb.toString();
            }
        };
    }

    static String violationNote(Violation v) {
        StringBuilder sb = new StringBuilder();
        sb.append(v.severity()).append(' ').append(v.kind().wire()).append(" violation, rule ").append(v.rule())
                .append(": ").append(v.detail());
        if (v.pid() != null) {
            sb.append(" (pid ").append(v.pid());
            if (v.exe() != null) {
                sb.append(", ").append(v.exe());
            }
            sb.append(')');
        }
        if (v.remote() != null) {
            sb.append(" remote ").append(v.remote());
        }
        sb.append("; action ").append(v.action()).append(", mode ").append(v.mode().wire());
        if (v.technique() != null) {
            sb.append(", MITRE ").append(v.technique());
        }
        sb.append(", profile ").append(v.profile()).append(", id ").append(v.id());
        return sb.toString();
    }

    /** Creates the Event, or updates its series; recreates it when the API server has already expired it. */
    private final class SeriesDelivery implements KubeQueue.Delivery {
        private final Series s;
        private final long count;
        private final Instant last;

        SeriesDelivery(Series s, long count, Instant last) {
            this.s = s;
            this.count = count;
            this.last = last;
        }

        @Override
        public String key() {
            return "event:" + s.first.getMetadata().getName();
        }

        @Override
        public String what() {
            return "Event " + s.first.getReason() + (count > 1 ? " (series count " + count + ")" : "");
        }

        @Override
        public void deliver(KubernetesClient client) throws Exception {
            deliver(client, true);
        }

        private void deliver(KubernetesClient client, boolean mayRecreate) throws Exception {
            var events = client.events().v1().events().inNamespace(pod.namespace());
            if (!s.created) {
                Event e = count > 1 ? new EventBuilder(s.first).withSeries(new EventSeriesBuilder()
                        .withCount((int) Math.min(Integer.MAX_VALUE, count)).withLastObservedTime(EventNotes.micro(last))
                        .build()).build() : s.first;
                try {
                    events.resource(e).create();
                    s.created = true;
                    return;
                } catch (KubernetesClientException ex) {
                    if (ex.getCode() != 409) {
                        throw ex;
                    }
                    s.created = true; // an earlier attempt got through; its answer was lost
                    if (count <= 1) {
                        return;
                    }
                }
            }
            String patch = JSON.writeValueAsString(Map.of("series", Map.of(
                    "count", Math.min(Integer.MAX_VALUE, count),
                    "lastObservedTime", EventNotes.micro(last).getTime())));
            try {
                events.withName(s.first.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            } catch (KubernetesClientException ex) {
                if (ex.getCode() != 404 || !mayRecreate) {
                    throw ex;
                }
                s.created = false; // expired (events live about an hour): start it again, with the series
                deliver(client, false);
            }
        }
    }
}
