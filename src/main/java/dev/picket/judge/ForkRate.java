package dev.picket.judge;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/** Forks per minute over sliding windows, from the per-scan fork counts of the snapshots. */
final class ForkRate {

    private record Sample(Instant time, long forks) {
    }

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    void add(Instant time, long forks) {
        samples.addLast(new Sample(time, forks));
        Instant horizon = time.minus(Duration.ofSeconds(61));
        while (!samples.isEmpty() && samples.peekFirst().time().isBefore(horizon)) {
            samples.removeFirst();
        }
    }

    /**
     * Forks per minute over the last {@code window}, counting only scans inside it; NaN until the samples
     * span at least a fifth of the window (so the first scans do not extrapolate one burst to a minute).
     */
    double perMinute(Instant now, Duration window) {
        Instant from = now.minus(window);
        long forks = 0;
        Instant first = null;
        Instant previous = null;
        for (Sample s : samples) {
            if (s.time().isAfter(from)) {
                forks += s.forks();
                if (first == null) {
                    first = previous != null ? previous : s.time();
                }
            }
            previous = s.time();
        }
        if (first == null) {
            return Double.NaN;
        }
        double seconds = Duration.between(first, now).toMillis() / 1000.0;
        if (seconds < window.toMillis() / 5000.0) {
            return Double.NaN;
        }
        return forks * 60.0 / seconds;
    }
}
