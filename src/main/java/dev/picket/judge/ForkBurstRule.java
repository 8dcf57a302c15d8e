package dev.picket.judge;

import dev.picket.observe.Snapshot;
import dev.picket.profile.Profile;
import dev.picket.profile.ThreatRule;

import java.time.Instant;
import java.util.List;

/**
 * Fork rate far above normal over the last ten seconds: many processes too short-lived to be seen one by
 * one (a fork bomb, a brute-force loop, a scanner). "Far above" is three times the profile's
 * {@code forksPerMinute} (a learned profile carries the learned peak there), or 1 200 per minute
 * without one. One burst is one violation.
 */
final class ForkBurstRule implements Rule {

    static final double DEFAULT_THRESHOLD = 1200;
    static final double FACTOR = 3;

    private Instant burstSince;

    @Override
    public void evaluate(Snapshot snapshot, Profile profile, Scene scene, List<Finding> out) {
        double rate = scene.recentForksPerMinute;
        double threshold = profile.resources().forksPerMinute().isPresent()
                ? Math.max(60, FACTOR * profile.resources().forksPerMinute().getAsInt()) : DEFAULT_THRESHOLD;
        if (Double.isNaN(rate) || rate <= threshold) {
            burstSince = null;
            return;
        }
        if (burstSince == null) {
            burstSince = snapshot.time();
        }
        out.add(Threats.of(ThreatRule.FORK_BURST, Long.toString(burstSince.toEpochMilli()), null, null,
                String.format(java.util.Locale.ROOT, "%.0f tasks per minute created in the neighbour over the last 10 s,"
                        + " above the burst threshold of %.0f (%s)", rate, threshold,
                        snapshot.forks().source().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))));
    }
}
