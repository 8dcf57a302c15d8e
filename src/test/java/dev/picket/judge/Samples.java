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

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-made snapshots for the few cases a real process cannot reproduce on demand, such as a scan that
 * lands in the middle of an exec. Everything else in this package is tested with real processes. The
 * records are built by component name, so a component the observer adds later is simply left empty.
 */
final class Samples {

    static final Namespaces HOST = new Namespaces(1, 2, 3, 4);

    private Samples() {
    }

    /** A process of the snapshot with {@code sequence}, child of {@code ppid} running {@code parentExe}, first seen at {@code firstSeenAt}. */
    static ProcessSample child(int pid, int ppid, String exe, String parentExe, long execCount, long firstSeenAt,
            String... argv) {
        Map<String, Object> v = base(pid, exe.substring(exe.lastIndexOf('/') + 1), exe, execCount, Set.of(), argv);
        v.put("ppid", ppid);
        v.put("parentExe", parentExe);
        v.put("firstSeen", Instant.EPOCH.plusSeconds(firstSeenAt));
        return record(ProcessSample.class, v);
    }

    static ProcessSample process(int pid, String comm, String exe, long execCount, Set<EnvMarkers.Marker> env,
            String... argv) {
        return record(ProcessSample.class, base(pid, comm, exe, execCount, env, argv));
    }

    private static Map<String, Object> base(int pid, String comm, String exe, long execCount, Set<EnvMarkers.Marker> env,
            String... argv) {
        Ids root = new Ids(0, 0, 0, 0);
        Map<String, Object> v = new HashMap<>();
        v.put("pid", pid);
        v.put("ppid", 1);
        v.put("comm", comm);
        v.put("state", 'S');
        v.put("started", Instant.EPOCH);
        v.put("startTicks", 1000L + pid);
        v.put("uid", root);
        v.put("gid", root);
        v.put("exe", exe == null ? null : new Executable(exe, exe, false, false));
        v.put("parentExe", "/usr/bin/dash");
        v.put("argv", new Argv(List.of(argv), false));
        v.put("threads", 1);
        v.put("openFds", 3);
        v.put("stdioSockets", List.of());
        v.put("namespaces", HOST);
        v.put("envMarkers", env);
        v.put("firstSeen", Instant.EPOCH);
        v.put("execCount", execCount);
        v.put("unavailable", Map.of());
        return v;
    }

    /** A snapshot taken at {@code sequence} seconds after the epoch. */
    static Snapshot snapshot(long sequence, List<ProcessSample> processes) {
        Map<String, Object> v = new HashMap<>();
        v.put("sequence", sequence);
        v.put("time", Instant.EPOCH.plusSeconds(sequence));
        v.put("scanDuration", Duration.ZERO);
        v.put("scope", new WatchScope(WatchScope.Kind.ROOT_PID, 1, null, null, null, "test"));
        v.put("processes", processes);
        for (String list : List.of("listeners", "outbound", "inbound", "raw", "unix", "runtimeSockets")) {
            v.put(list, List.of());
        }
        v.put("totals", new Totals(processes.size(), processes.size(), 3, 0, 0));
        v.put("forks", new ForkCount(0, 0, ForkCount.Source.OBSERVED));
        v.put("visibility", new Visibility(List.of(), Map.of(), List.of()));
        v.put("picketNamespaces", HOST);
        return record(Snapshot.class, v);
    }

    private static <T extends Record> T record(Class<T> type, Map<String, Object> values) {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            Object value = values.get(components[i].getName());
            args[i] = value != null ? value : empty(types[i]);
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    /** The empty value of a component type; each branch boxed on its own (a ?: chain would widen them all). */
    private static Object empty(Class<?> type) {
        Map<Class<?>, Object> zeros = Map.of(boolean.class, false, char.class, '\0', byte.class, (byte) 0,
                short.class, (short) 0, int.class, 0, long.class, 0L, float.class, 0f, double.class, 0.0);
        return type.isPrimitive() ? zeros.get(type) : null;
    }
}
