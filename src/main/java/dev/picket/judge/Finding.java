package dev.picket.judge;

import dev.picket.observe.ProcessSample;
import dev.picket.profile.Severity;
import dev.picket.profile.ThreatRule;
import dev.picket.profile.ViolationKind;

/**
 * What one rule found in one scan, before deduplication, mode and action. {@code key} identifies the
 * process, connection or breach, so a condition that persists over many scans is one violation.
 * {@code subject} is the process it concerns (null for namespace-wide findings); {@code identity} is
 * that process's pid and start time, which keys expire with.
 */
public record Finding(
        ViolationKind kind,
        String rule,
        Severity severity,
        ThreatRule threat,
        String key,
        String identity,
        ProcessSample subject,
        String remote,
        String detail) {

    /** The identity of a process for the life of its pid: reused pids get a new one. */
    public static String identityOf(ProcessSample p) {
        return p.pid() + ":" + p.startTicks();
    }
}
