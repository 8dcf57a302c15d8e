package dev.picket.verdict;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.picket.config.PicketConfig;
import dev.picket.judge.Finding;
import dev.picket.judge.Judge;
import dev.picket.judge.JudgeContext;
import dev.picket.judge.Verdict;
import dev.picket.observe.ProcessSample;
import dev.picket.observe.Snapshot;
import dev.picket.profile.ActionType;
import dev.picket.profile.ActiveProfile;
import dev.picket.profile.Mode;
import dev.picket.profile.Profile;
import dev.picket.profile.ViolationKind;
import dev.picket.profile.WorkloadProfile;
import dev.picket.profile.learn.LearnedMerge;
import dev.picket.profile.learn.Learner;
import dev.picket.respond.Responder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline after each scan: judge the snapshot against the active profile, learn in learn mode,
 * turn fresh findings into violations (shadow actions in monitor and learn mode, real ones through the
 * responder in enforce mode), then keep, count and log them. It runs on the scan thread, so a violation
 * is acted on before the next scan starts. Each violation is also fired as a CDI event, for Kubernetes
 * Events and status counts; observers must not block.
 */
@ApplicationScoped
public class VerdictService {

    /** One JSON line per violation, under its own logger name so it can be routed on its own. */
    private static final Logger VIOLATIONS = Logger.getLogger("picket.violation");

    @Inject
    ActiveProfile profiles;
    @Inject
    ViolationStore store;
    @Inject
    Responder responder;
    @Inject
    MeterRegistry registry;
    @Inject
    ObjectMapper json;
    @Inject
    PicketConfig config;
    @Inject
    jakarta.enterprise.event.Event<Violation> published;

    private final AtomicLong sequence = new AtomicLong();
    private final java.util.Map<ViolationKind, AtomicLong> byKind = new java.util.EnumMap<>(ViolationKind.class);
    private Judge judge;
    private Learner learner;
    private Mode lastMode;
    private long learningGeneration = -1;
    private Instant learningSince;
    private volatile Instant lastScan;

    @Inject
    void init(JudgeContext context) {
        judge = new Judge(context);
        learner = new Learner(config.learn().headroom(), (kind, time) -> registry.counter("picket.learned.items",
                Tags.of("kind", kind.name().toLowerCase(Locale.ROOT))).increment());
        for (Learner.ItemKind k : Learner.ItemKind.values()) {
            registry.counter("picket.learned.items", Tags.of("kind", k.name().toLowerCase(Locale.ROOT)));
        }
        registry.gauge("picket.profile.generation", profiles, p -> p.generation());
        registry.gauge("picket.profile.valid", profiles, p -> p.lastError().isPresent() ? 0 : 1);
        ceiling("cpu_cores", c -> c.cpuCores().isPresent() ? c.cpuCores().getAsDouble() : Double.NaN);
        ceiling("memory_bytes", c -> c.memoryBytes().isPresent() ? c.memoryBytes().getAsLong() : Double.NaN);
        ceiling("processes", c -> c.processes().isPresent() ? c.processes().getAsInt() : Double.NaN);
        ceiling("threads", c -> c.threads().isPresent() ? c.threads().getAsInt() : Double.NaN);
        ceiling("open_files", c -> c.openFiles().isPresent() ? c.openFiles().getAsInt() : Double.NaN);
        ceiling("forks_per_minute", c -> c.forksPerMinute().isPresent() ? c.forksPerMinute().getAsInt() : Double.NaN);
    }

    /** The active profile's ceilings, so dashboards can draw usage against them; NaN where none is set. */
    private void ceiling(String resource, java.util.function.ToDoubleFunction<dev.picket.profile.Ceilings> value) {
        io.micrometer.core.instrument.Gauge.builder("picket.profile.ceiling", profiles,
                        p -> value.applyAsDouble(p.current().resources()))
                .tag("resource", resource).description("The active profile's resource ceiling").register(registry);
    }

    public Learner learner() {
        return learner;
    }

    void onSnapshot(@Observes Snapshot snapshot) {
        Profile profile = profiles.current();
        profile = endLearningWhenDue(profile, snapshot.time());
        Mode mode = profile.mode();
        if (mode != lastMode) {
            if (lastMode != null) {
                Log.infof("mode changed from %s to %s (profile %s, generation %d)", lastMode.wire(), mode.wire(),
                        profile.source(), profile.generation());
            }
            registry.counter("picket.mode.changes", Tags.of("mode", mode.wire())).increment();
            if (mode == Mode.ENFORCE && lastMode != null) {
                // what was reported or shadow-enforced so far is still running: raise it again, now to act on
                judge.forgetReported();
            }
            lastMode = mode;
        }
        Verdict verdict = judge.judge(snapshot, profile);
        if (mode == Mode.LEARN) {
            learner.observe(snapshot, verdict, judge.context(), verdict.forksPerMinute());
        }
        for (Finding f : verdict.fresh()) {
            if (mode == Mode.LEARN && f.kind() != ViolationKind.THREAT) {
                continue; // learning: this is what the workload does, not a violation
            }
            record(toViolation(f, profile, mode, snapshot), profile, mode, snapshot);
        }
        lastScan = snapshot.time();
    }

    private void record(Violation v, Profile profile, Mode mode, Snapshot snapshot) {
        ActionType intended = profile.action(v.kind());
        if (mode == Mode.ENFORCE && intended != ActionType.REPORT) {
            v = responder.act(v, intended, snapshot);
        }
        store.add(v);
        published.fire(v);
        byKind.computeIfAbsent(v.kind(), k -> new AtomicLong()).incrementAndGet();
        registry.counter("picket.violations", Tags.of("kind", v.kind().wire(), "rule", v.rule(), "action",
                v.action().name().toLowerCase(Locale.ROOT))).increment();
        try {
            VIOLATIONS.warn(json.writeValueAsString(v));
        } catch (JsonProcessingException e) {
            VIOLATIONS.warnf("violation %s %s: %s", v.id(), v.rule(), v.detail());
        }
    }

    private Violation toViolation(Finding f, Profile profile, Mode mode, Snapshot snapshot) {
        ActionType intended = profile.action(f.kind());
        ViolationAction action = switch (intended) {
            case REPORT -> ViolationAction.REPORTED;
            case KILL -> mode == Mode.ENFORCE ? ViolationAction.KILLED : ViolationAction.WOULD_KILL;
            case QUARANTINE -> mode == Mode.ENFORCE ? ViolationAction.QUARANTINED : ViolationAction.WOULD_QUARANTINE;
        };
        ProcessSample p = f.subject();
        Instant t = snapshot.time();
        String id = "v-" + Long.toString(t.toEpochMilli(), 36) + "-" + sequence.incrementAndGet();
        String technique = f.threat() != null ? f.threat().techniqueId() + " " + f.threat().techniqueName() : null;
        return new Violation(id, t, f.kind(), f.rule(), f.severity(), technique,
                p != null ? p.pid() : null, p != null ? p.ppid() : null, p != null ? p.startTicks() : null,
                p != null && p.exe() != null ? p.exe().raw() : p != null ? p.comm() : null,
                p != null ? p.argv().args() : null, p != null && p.uid().effective() >= 0 ? p.uid().effective() : null,
                f.remote(), f.detail(), mode, action, null, profile.name() + "@" + profile.generation());
    }

    /**
     * After {@code spec.learn.duration} of learning, adds what was learned to the profile and switches to
     * {@code spec.learn.then}. Only a profile that asks for learn mode itself ends this way; a learn
     * override (PUT /v1/mode) lasts until it is changed.
     */
    private Profile endLearningWhenDue(Profile profile, Instant now) {
        if (profile.mode() != Mode.LEARN || profile.learn().duration().isEmpty()
                || profiles.modeOverride().isPresent()) {
            learningSince = null;
            return profile;
        }
        if (learningSince == null || learningGeneration != profile.generation()) {
            learningSince = now;
            learningGeneration = profile.generation();
        }
        Duration duration = profile.learn().duration().get();
        if (Duration.between(learningSince, now).compareTo(duration) < 0) {
            return profile;
        }
        WorkloadProfile merged = new WorkloadProfile();
        merged.setMetadata(new ObjectMetaBuilder().withName(profile.name().isEmpty() ? "learned" : profile.name()).build());
        var spec = LearnedMerge.merge(profile.toSpec(), learner.spec());
        spec.setMode(profile.learn().then());
        spec.setLearn(null);
        merged.setSpec(spec);
        var installed = profiles.install(merged);
        if (installed.isValid()) {
            Log.infof("learned for %s: the learned profile is active, mode %s", duration, profile.learn().then().wire());
        } else {
            Log.errorf("learned profile rejected, staying in learn mode: %s", installed.problems());
        }
        learningSince = null;
        return profiles.current();
    }

    /** Violations counted since start, by kind (every kind present). */
    public java.util.Map<ViolationKind, Long> countsByKind() {
        java.util.Map<ViolationKind, Long> out = new java.util.EnumMap<>(ViolationKind.class);
        for (ViolationKind k : ViolationKind.values()) {
            AtomicLong n = byKind.get(k);
            out.put(k, n == null ? 0 : n.get());
        }
        return out;
    }

    public Instant lastScan() {
        return lastScan;
    }

}
