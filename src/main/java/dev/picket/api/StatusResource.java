package dev.picket.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.picket.observe.LatestSnapshot;
import dev.picket.observe.Snapshot;
import dev.picket.profile.ActiveProfile;
import dev.picket.profile.Profile;
import dev.picket.profile.ProfileError;
import dev.picket.profile.ViolationKind;
import dev.picket.profile.learn.Learner;
import dev.picket.respond.QuarantineRecord;
import dev.picket.respond.QuarantineState;
import dev.picket.verdict.VerdictService;
import dev.picket.verdict.ViolationStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One look at the sidecar: mode, profile (and why the last change was refused), counts, scan, quarantine. */
@Path("/v1/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    @Inject
    ActiveProfile profiles;
    @Inject
    VerdictService verdicts;
    @Inject
    ViolationStore store;
    @Inject
    LatestSnapshot latest;
    @Inject
    QuarantineState quarantine;
    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String version;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String version, String mode, String modeOverride, ProfileInfo profile,
            ProfileError profileError, Violations violations, Scan lastScan, QuarantineRecord quarantine,
            boolean quarantined, List<String> capabilities, List<String> blindSpots, Learning learning) {
    }

    public record ProfileInfo(String name, String source, long generation, Instant loadedAt) {
    }

    public record Violations(long total, Map<ViolationKind, Long> byKind, long kept) {
    }

    public record Scan(long sequence, Instant time, double millis, int processes) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Learning(Instant since, Instant lastNewItem, Map<Learner.ItemKind, Long> items) {
    }

    @GET
    public Status status() {
        Profile p = profiles.current();
        Snapshot s = latest.get().orElse(null);
        Learner l = verdicts.learner();
        return new Status(version, p.mode().wire(), profiles.modeOverride().map(m -> m.wire()).orElse(null),
                new ProfileInfo(p.name(), p.source(), p.generation(), profiles.lastLoadTime()),
                profiles.lastError().orElse(null),
                new Violations(store.total(), verdicts.countsByKind(), Math.min(store.total(), 10_000)),
                s == null ? null : new Scan(s.sequence(), s.time(), s.scanMillis(), s.totals().processes()),
                quarantine.current().orElse(null), quarantine.isQuarantined(),
                s == null ? List.of() : s.visibility().effectiveCapabilities(),
                s == null ? List.of() : s.visibility().notes(),
                new Learning(l.since().orElse(null), l.lastNewItem().orElse(null), l.counts()));
    }
}
