package dev.picket.judge;

import dev.picket.observe.Snapshot;
import dev.picket.observe.Totals;
import dev.picket.profile.Ceilings;
import dev.picket.profile.Profile;
import dev.picket.profile.Severity;
import dev.picket.profile.ViolationKind;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * RESOURCE violations: a ceiling on the whole neighbour exceeded for at least the profile's
 * {@code sustain}. One breach is one violation, however long it lasts; staying below the ceiling for a
 * {@code sustain} ends it.
 */
final class ResourceCeilingRule implements Rule {

    static final String RULE_PREFIX = "ceiling-";

    private final Map<String, Instant> exceededSince = new HashMap<>();
    private final Map<String, Instant> belowSince = new HashMap<>();

    @Override
    public void evaluate(Snapshot snapshot, Profile profile, Scene scene, List<Finding> out) {
        Ceilings c = profile.resources();
        Totals t = snapshot.totals();
        Instant now = snapshot.time();
        if (c.cpuCores().isPresent()) {
            check("cpu", t.cpuCores(), c.cpuCores().getAsDouble(), "%.2f cores", now, c.sustain(), out);
        } else {
            forget("cpu");
        }
        if (c.memoryBytes().isPresent()) {
            check("memory", t.rssBytes(), c.memoryBytes().getAsLong(), "%.0f bytes", now, c.sustain(), out);
        } else {
            forget("memory");
        }
        checkInt("processes", t.processes(), c.processes(), now, c.sustain(), out);
        checkInt("threads", t.threads(), c.threads(), now, c.sustain(), out);
        checkInt("open-files", t.openFds(), c.openFiles(), now, c.sustain(), out);
        if (c.forksPerMinute().isPresent() && !Double.isNaN(scene.forksPerMinute)) {
            check("forks-per-minute", scene.forksPerMinute, c.forksPerMinute().getAsInt(), "%.0f forks per minute",
                    now, c.sustain(), out);
        } else {
            forget("forks-per-minute");
        }
    }

    private void checkInt(String name, int value, java.util.OptionalInt ceiling, Instant now, Duration sustain,
            List<Finding> out) {
        if (ceiling.isPresent()) {
            check(name, value, ceiling.getAsInt(), "%.0f", now, sustain, out);
        } else {
            forget(name);
        }
    }

    private void forget(String name) {
        exceededSince.remove(name);
        belowSince.remove(name);
    }

    private void check(String name, double value, double ceiling, String format, Instant now, Duration sustain,
            List<Finding> out) {
        if (value <= ceiling) {
            // a breach ends only after a sustain below the ceiling, so a workload hovering at it does not
            // start a new breach (or never finish one) at every dip
            if (exceededSince.containsKey(name)) {
                Instant below = belowSince.computeIfAbsent(name, k -> now);
                if (Duration.between(below, now).compareTo(sustain) >= 0) {
                    exceededSince.remove(name);
                    belowSince.remove(name);
                }
            }
            return;
        }
        belowSince.remove(name);
        Instant since = exceededSince.computeIfAbsent(name, k -> now);
        if (Duration.between(since, now).compareTo(sustain) < 0) {
            return;
        }
        String detail = "the neighbour's " + name.replace('-', ' ') + " is " + String.format(java.util.Locale.ROOT, format, value)
                + ", above the ceiling of " + String.format(java.util.Locale.ROOT, format, ceiling) + " since " + since
                + " (sustain " + sustain.toSeconds() + " s)";
        out.add(new Finding(ViolationKind.RESOURCE, RULE_PREFIX + name, Severity.MEDIUM, null,
                "resource|" + name + "|" + since.toEpochMilli(), null, null, null, detail));
    }
}
