package dev.picket.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Everything one scan observed; immutable, handed to the judge and served at /v1/observed. */
public record Snapshot(
        long sequence,
        Instant time,
        Duration scanDuration,
        WatchScope scope,
        List<ProcessSample> processes,
        List<SocketSample> listeners,
        List<SocketSample> outbound,
        List<SocketSample> inbound,
        List<SocketSample> raw,
        List<SocketSample> unix,
        Totals totals,
        ForkCount forks,
        Visibility visibility) {

    public ProcessSample process(int pid) {
        for (ProcessSample p : processes) {
            if (p.pid() == pid) {
                return p;
            }
        }
        return null;
    }
}
