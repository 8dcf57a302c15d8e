package dev.picket.judge;

import dev.picket.observe.ProcessSample;
import dev.picket.observe.Snapshot;

import java.util.HashMap;
import java.util.Map;

/** One snapshot indexed for the rules: processes by pid, and the context of the pod. */
final class Scene {

    final JudgeContext context;
    /** Forks per minute over the last minute and over the last ten seconds; NaN while unknown. */
    double forksPerMinute = Double.NaN;
    double recentForksPerMinute = Double.NaN;
    private final Map<Integer, ProcessSample> byPid;

    Scene(Snapshot snapshot, JudgeContext context) {
        this.context = context;
        this.byPid = new HashMap<>(snapshot.processes().size() * 2);
        for (ProcessSample p : snapshot.processes()) {
            byPid.put(p.pid(), p);
        }
    }

    ProcessSample process(int pid) {
        return pid <= 0 ? null : byPid.get(pid);
    }
}
