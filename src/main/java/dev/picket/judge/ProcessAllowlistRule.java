package dev.picket.judge;

import dev.picket.observe.ProcessSample;
import dev.picket.observe.Snapshot;
import dev.picket.profile.Profile;
import dev.picket.profile.Severity;
import dev.picket.profile.ViolationKind;

import java.util.List;

/**
 * PROCESS violations: an executable the profile does not allow (one violation per process and executable,
 * so an exec into something else is judged again), and a process running as root when the profile forbids
 * it. The key names the executable, not the exec count: a scan that lands in the middle of an exec sees
 * the new executable before the exec signature settles, and the next scan counts that exec again.
 * A process whose executable Picket may not read is not judged here; the snapshot's visibility says so.
 */
final class ProcessAllowlistRule implements Rule {

    static final String NOT_ALLOWED = "process-not-allowed";
    static final String ROOT = "root-not-allowed";

    @Override
    public void evaluate(Snapshot snapshot, Profile profile, Scene scene, List<Finding> out) {
        for (ProcessSample p : snapshot.processes()) {
            if (p.exe() == null || p.state() == 'Z') {
                continue;
            }
            if (!forkBeforeExec(p, snapshot) && !profile.processAllowed(p.exe().path(), p.parentExe())) {
                String identity = Finding.identityOf(p);
                out.add(new Finding(ViolationKind.PROCESS, NOT_ALLOWED, Severity.HIGH, null,
                        "process|" + identity + "|" + p.exe().path(), identity, p, null,
                        Describe.process(p) + " started by " + Describe.parent(p) + " is not in the profile's allowed executables"));
            }
            if (p.uid().effective() == 0 && !profile.rootAllowed()) {
                String identity = Finding.identityOf(p);
                out.add(new Finding(ViolationKind.PROCESS, ROOT, Severity.HIGH, null, "root|" + identity, identity, p, null,
                        Describe.process(p) + " runs as root (effective uid 0) and the profile does not allow root"));
            }
        }
    }

    /**
     * Seen for the first time in this scan as a copy of its parent that never exec'd: most likely a scan
     * that landed between a fork and its exec. Judging it now would judge "the parent's program started by
     * the parent", which a learned profile rarely holds (a service started by an entrypoint shell); it is
     * judged at the next scan as whatever it has become, one interval later, still within the two intervals
     * a forbidden process is reported in. A forked worker that stays a copy is judged then as itself.
     */
    static boolean forkBeforeExec(ProcessSample p, Snapshot snapshot) {
        return p.execCount() == 0 && p.exe().path().equals(p.parentExe()) && snapshot.time().equals(p.firstSeen());
    }
}
