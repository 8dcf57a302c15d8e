package dev.picket.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

/** Test helpers for driving a real scanner until it sees what a test expects. */
final class Scans {

    private Scans() {
    }

    /** Scans every 100 ms until {@code until} holds for a snapshot, or fails after {@code timeout}. */
    static Snapshot until(ProcScanner scanner, Duration timeout, Predicate<Snapshot> until) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Snapshot last = null;
        while (System.nanoTime() < deadline) {
            last = scanner.scan();
            if (until.test(last)) {
                return last;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("condition not met within " + timeout + "; last snapshot: " + last);
    }

    static ProcScanner rootPid(long pid) {
        return new ProcScanner(ScannerSettings.rootPid(java.nio.file.Path.of("/proc"), (int) pid), Clock.systemUTC());
    }

    static ProcessSample byArg(Snapshot s, String marker) {
        return s.processes().stream().filter(p -> p.argv().args().contains(marker)).findFirst().orElse(null);
    }
}
