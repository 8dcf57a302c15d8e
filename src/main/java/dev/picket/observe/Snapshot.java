package dev.picket.observe;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Everything one scan observed; immutable, handed to the judge and served at /v1/observed. */
public record Snapshot(
        long sequence,
        Instant time,
        @JsonIgnore Duration scanDuration,
        WatchScope scope,
        List<ProcessSample> processes,
        List<SocketSample> listeners,
        List<SocketSample> outbound,
        List<SocketSample> inbound,
        List<SocketSample> raw,
        List<SocketSample> unix,
        List<RuntimeSocket> runtimeSockets,
        List<SystemPreload> systemPreloads,
        Totals totals,
        ForkCount forks,
        Visibility visibility,
        Namespaces picketNamespaces,
        ScanTimings timings) {

    /** Lists a caller left out (a snapshot rebuilt from JSON written by an older Picket) are empty, never null. */
    public Snapshot {
        processes = orEmpty(processes);
        listeners = orEmpty(listeners);
        outbound = orEmpty(outbound);
        inbound = orEmpty(inbound);
        raw = orEmpty(raw);
        unix = orEmpty(unix);
        runtimeSockets = orEmpty(runtimeSockets);
        systemPreloads = orEmpty(systemPreloads);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    @JsonProperty("scanMillis")
    public double scanMillis() {
        return scanDuration.toNanos() / 1e6;
    }

    public ProcessSample process(int pid) {
        for (ProcessSample p : processes) {
            if (p.pid() == pid) {
                return p;
            }
        }
        return null;
    }
}
