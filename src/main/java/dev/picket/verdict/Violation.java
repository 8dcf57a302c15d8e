package dev.picket.verdict;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.picket.profile.Mode;
import dev.picket.profile.Severity;
import dev.picket.profile.ViolationKind;

import java.time.Instant;
import java.util.List;

/**
 * One violation as reported: logged as one JSON line, counted, kept for {@code GET /v1/violations}.
 * {@code processStartTicks} pins the process so that an action never hits a reused pid.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Violation(
        String id,
        Instant time,
        ViolationKind kind,
        String rule,
        Severity severity,
        String technique,
        Integer pid,
        Integer ppid,
        Long processStartTicks,
        String exe,
        List<String> argv,
        Integer uid,
        String remote,
        String detail,
        Mode mode,
        ViolationAction action,
        String actionDetail,
        String profile) {

    public Violation withAction(ViolationAction a, String why) {
        return new Violation(id, time, kind, rule, severity, technique, pid, ppid, processStartTicks, exe, argv, uid, remote,
                detail, mode, a, why, profile);
    }
}
