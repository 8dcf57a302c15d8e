package dev.picket.observe;

import dev.picket.config.PicketConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;

/**
 * Runs one scan per interval and hands each snapshot to whoever observes {@link Snapshot} events (the
 * judge, metrics), synchronously, so a scan's findings are acted on before the next scan starts.
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
    }

    static ScannerSettings settings(PicketConfig config) {
        WatchScope.Kind kind = config.watch().command().isPresent() ? WatchScope.Kind.COMMAND
                : config.watch().rootPid().isPresent() ? WatchScope.Kind.ROOT_PID : WatchScope.Kind.POD;
        return new ScannerSettings(config.procRoot(), kind, config.watch().rootPid().orElse(0),
                config.watch().command().orElse(null), config.scan().maxArgvBytes(), config.scan().deepEvery(),
                config.scan().maxHandles());
    }

    void stop(@Observes ShutdownEvent event) {
        if (command != null) {
            command.close();
        }
        if (scanner != null) {
            synchronized (this) {
                scanner.close();
            }
        }
    }

    @Scheduled(every = "${picket.scan.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "picket-scan")
    void tick() {
        scanOnce();
    }

    /** One scan, published; failures are logged and kept for liveness, never thrown into the scheduler. */
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
