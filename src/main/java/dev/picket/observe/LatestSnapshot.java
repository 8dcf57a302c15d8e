package dev.picket.observe;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** The newest completed scan, for readers that are not on the scan path (REST, health). */
@ApplicationScoped
public class LatestSnapshot {

    private volatile Snapshot snapshot;
    private volatile long completedNanos;

    void set(Snapshot s) {
        snapshot = s;
        completedNanos = System.nanoTime();
    }

    public Optional<Snapshot> get() {
        return Optional.ofNullable(snapshot);
    }

    /** Nanoseconds since the last scan completed; Long.MAX_VALUE before the first. */
    public long nanosSinceLastScan() {
        Snapshot s = snapshot;
        return s == null ? Long.MAX_VALUE : System.nanoTime() - completedNanos;
    }
}
