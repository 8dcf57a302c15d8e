package dev.picket.judge;

import dev.picket.observe.Argv;
import dev.picket.observe.EnvMarkers;
import dev.picket.observe.Executable;
import dev.picket.observe.ForkCount;
import dev.picket.observe.Ids;
import dev.picket.observe.Namespaces;
import dev.picket.observe.ProcessSample;
import dev.picket.observe.Snapshot;
import dev.picket.observe.Totals;
import dev.picket.observe.Visibility;
import dev.picket.observe.WatchScope;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-made snapshots for the few cases a real process cannot reproduce on demand, such as a scan that
 * lands in the middle of an exec. Everything else in this package is tested with real processes.
 */
final class Samples {

    static final Namespaces HOST = new Namespaces(1, 2, 3, 4);

    private Samples() {
    }

    static ProcessSample process(int pid, String comm, String exe, long execCount, Set<EnvMarkers.Marker> env,
            String... argv) {
        Ids root = new Ids(0, 0, 0, 0);
        Executable executable = exe == null ? null : new Executable(exe, exe, false, false);
        return new ProcessSample(pid, 1, comm, 'S', Instant.EPOCH, 1000 + pid, root, root, executable, "/usr/bin/dash",
                new Argv(List.of(argv), false), 0, 0, 1, 3, List.of(), HOST, env, 0, 0, 0, 0, 0, Instant.EPOCH, execCount,
                Map.of());
    }

    static Snapshot snapshot(long sequence, List<ProcessSample> processes) {
        return new Snapshot(sequence, Instant.EPOCH.plusSeconds(sequence), Duration.ZERO,
                new WatchScope(WatchScope.Kind.ROOT_PID, 1, null, null, null, "test"), processes, List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), new Totals(processes.size(), processes.size(), 3, 0, 0),
                new ForkCount(0, 0, ForkCount.Source.OBSERVED), new Visibility(List.of(), Map.of(), List.of()), HOST);
    }
}
