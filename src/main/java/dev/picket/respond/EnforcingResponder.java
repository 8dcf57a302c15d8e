package dev.picket.respond;

import dev.picket.config.PicketConfig;
import dev.picket.observe.Snapshot;
import dev.picket.profile.ActionType;
import dev.picket.profile.ViolationKind;
import dev.picket.verdict.Violation;
import dev.picket.verdict.ViolationAction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Locale;

/**
 * Carries out kill and quarantine in enforce mode. A quarantine goes in the order that leaves the pod
 * isolated if Picket dies half-way: persist the record (and, in a cluster, the pod label), fail
 * readiness, then kill the offending process. Started eagerly so its metrics exist before the first action
 * (a restored quarantine must show as {@code picket_quarantined 1}).
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class EnforcingResponder implements Responder {

    @Inject
    QuarantineState quarantine;
    @Inject
    MeterRegistry registry;

    private final ProcessKiller killer;
    private Counter kills;

    @Inject
    public EnforcingResponder(PicketConfig config) {
        this.killer = new ProcessKiller(config.procRoot());
    }

    @jakarta.annotation.PostConstruct
    void metrics() {
        kills = Counter.builder("picket.kills").description("Processes Picket sent SIGKILL").register(registry);
        for (String action : new String[] {"kill", "quarantine"}) {
            for (String result : new String[] {"success", "failed"}) {
                registry.counter("picket.actions", Tags.of("action", action, "result", result));
            }
        }
        registry.gauge("picket.quarantined", quarantine, q -> q.isQuarantined() ? 1 : 0);
    }

    @Override
    public Violation act(Violation v, ActionType action, Snapshot snapshot) {
        try {
            return switch (action) {
                case REPORT -> v;
                case KILL -> kill(v, snapshot);
                case QUARANTINE -> quarantine(v, snapshot);
            };
        } catch (RuntimeException e) {
            Log.errorf(e, "action %s on violation %s failed", action, v.id());
            count(action, false);
            return v.withAction(action == ActionType.KILL ? ViolationAction.KILL_FAILED : ViolationAction.QUARANTINE_FAILED,
                    "internal error: " + e.getClass().getSimpleName());
        }
    }

    private Violation kill(Violation v, Snapshot snapshot) {
        if (v.pid() == null) {
            count(ActionType.KILL, false);
            return v.withAction(ViolationAction.KILL_FAILED, "no process to kill: " + v.kind().wire() + " violations "
                    + "of this rule have no single owner");
        }
        KillResult r = killer.kill(v.pid(), v.processStartTicks(), v.kind() == ViolationKind.PROCESS
                || v.kind() == ViolationKind.THREAT, snapshot);
        kills.increment(r.killed().size());
        count(ActionType.KILL, r.signalled());
        return r.signalled()
                ? v.withAction(ViolationAction.KILLED, "SIGKILL sent to " + r.killed())
                : v.withAction(ViolationAction.KILL_FAILED, r.reason());
    }

    private Violation quarantine(Violation v, Snapshot snapshot) {
        boolean persisted = quarantine.quarantine(new QuarantineRecord(v.detail(), v.time(), v.id(), v.rule(), null));
        StringBuilder detail = new StringBuilder(persisted ? "quarantine persisted, readiness down"
                : "readiness down, but the record could not be persisted");
        if (v.pid() != null) {
            KillResult r = killer.kill(v.pid(), v.processStartTicks(), v.kind() == ViolationKind.PROCESS
                    || v.kind() == ViolationKind.THREAT, snapshot);
            kills.increment(r.killed().size());
            detail.append(r.signalled() ? "; SIGKILL sent to " + r.killed() : "; process not killed: " + r.reason());
        }
        count(ActionType.QUARANTINE, true);
        return v.withAction(ViolationAction.QUARANTINED, detail.toString());
    }

    private void count(ActionType action, boolean ok) {
        registry.counter("picket.actions", Tags.of("action", action.name().toLowerCase(Locale.ROOT), "result",
                ok ? "success" : "failed")).increment();
    }
}
