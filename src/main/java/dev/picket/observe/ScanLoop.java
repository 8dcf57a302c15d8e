package dev.picket.observe;

import dev.picket.config.PicketConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one scan per interval and hands each snapshot to whoever observes {@link Snapshot} events (the
 * judge, metrics), synchronously, so a scan's findings are acted on before the next scan starts.
 *
 * <p>The scans run on a thread of their own at a fixed rate. Quarkus' {@code @Scheduled(every = ...)} runs
 * nothing more often than once a second (its trigger check ticks every second), so a 250 ms interval was
 * really 1 s, and detection took four intervals instead of one or two (docs/benchmarks.md). A scan that
 * overruns its interval makes the next one start at the next tick; missed ticks are skipped, never
 * caught up in a burst.
 */
@ApplicationScoped
public class ScanLoop {

    @Inject
    PicketConfig config;
    @Inject
    LatestSnapshot latest;
    @Inject
    Event<Snapshot> snapshots;
    @Inject
    Clock clock;

    private ProcScanner scanner;
    private WatchedCommand command;
    private volatile Throwable lastFailure;
    private volatile boolean running;
    private Thread scanThread;

    void start(@Observes StartupEvent event) {
        if (config.watch().rootPid().isPresent() && config.watch().command().isPresent()) {
            throw new IllegalStateException("set either picket.watch.root-pid or picket.watch.command, not both");
        }
        ScannerSettings settings = settings(config);
        scanner = new ProcScanner(settings, clock);
        config.watch().command().ifPresent(c -> {
            command = WatchedCommand.start(c);
            scanner.setRootPid(command.pid());
        });
        Log.infof("watching %s every %s", settings.kind(), config.scan().interval());
        long period = Math.max(1_000_000L, config.scan().interval().toNanos());
        running = true;
        scanThread = Thread.ofPlatform().name("picket-scan").daemon().start(() -> loop(period));
    }

    static ScannerSettings settings(PicketConfig config) {
        WatchScope.Kind kind = config.watch().command().isPresent() ? WatchScope.Kind.COMMAND
                : config.watch().rootPid().isPresent() ? WatchScope.Kind.ROOT_PID : WatchScope.Kind.POD;
        return new ScannerSettings(config.procRoot(), kind, config.watch().rootPid().orElse(0),
                config.watch().command().orElse(null), config.scan().maxArgvBytes(), config.scan().deepEvery(),
                config.scan().maxHandles());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (scanThread != null) {
            LockSupport.unpark(scanThread);
            try {
                scanThread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (command != null) {
            command.close();
        }
        if (scanner != null) {
            synchronized (this) {
                scanner.close();
            }
        }
    }

    private void loop(long periodNanos) {
        long next = System.nanoTime();
        while (running) {
            try {
                scanOnce();
            } catch (Throwable t) {
                // scanOnce keeps RuntimeExceptions; anything else must not end the loop silently
                if (lastFailure == null) {
                    Log.errorf(t, "scan failed");
                }
                lastFailure = t;
            }
            next += periodNanos;
            long now = System.nanoTime();
            if (next <= now) {
                next = now + periodNanos - (now - next) % periodNanos; // skip the ticks this scan overran
            }
            while (running && (now = System.nanoTime()) < next) {
                LockSupport.parkNanos(this, next - now);
            }
        }
    }

    /** One scan, published; failures are logged and kept for liveness, never thrown into the scan loop. */
    public synchronized Snapshot scanOnce() {
        try {
            Snapshot s = scanner.scan();
            latest.set(s);
            snapshots.fire(s);
            lastFailure = null;
            return s;
        } catch (RuntimeException e) {
            if (lastFailure == null) {
                Log.errorf(e, "scan failed");
            }
            lastFailure = e;
            return null;
        }
    }

    public Throwable lastFailure() {
        return lastFailure;
    }
}
