package dev.picket.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Prometheus metrics of what the observer sees; labels are bounded (direction only). */
@ApplicationScoped
public class ObserverMetrics {

    private final AtomicReference<Snapshot> last = new AtomicReference<>();
    private final Timer scanDuration;
    private final Counter forks;
    private final Counter scans;

    @Inject
    public ObserverMetrics(MeterRegistry registry) {
        scanDuration = Timer.builder("picket.scan.duration").description("Time of one /proc scan")
                .serviceLevelObjectives(ms(1), ms(2.5), ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500), ms(1000))
                .register(registry);
        forks = Counter.builder("picket.forks").description(
                "Tasks created in the watched PID namespace (or new processes seen outside pod mode)").register(registry);
        scans = Counter.builder("picket.scans").description("Scans completed").register(registry);
        gauge(registry, "picket.observed.processes", "Watched processes", s -> s.totals().processes());
        for (String d : new String[] {"listen", "outbound", "inbound", "raw", "unix"}) {
            registry.gauge("picket.observed.sockets", io.micrometer.core.instrument.Tags.of("direction", d), last,
                    r -> r.get() == null ? Double.NaN : sockets(r.get(), d));
        }
        gauge(registry, "picket.neighbour.cpu.cores", "CPU of the watched processes over the last interval, in cores",
                s -> s.totals().cpuCores());
        gauge(registry, "picket.neighbour.memory.bytes", "Resident memory of the watched processes",
                s -> s.totals().rssBytes());
        gauge(registry, "picket.neighbour.threads", "Threads of the watched processes", s -> s.totals().threads());
        gauge(registry, "picket.neighbour.open.fds", "Open file descriptors of the watched processes",
                s -> s.totals().openFds());
        gauge(registry, "picket.last.scan.timestamp.seconds", "Unix time of the last completed scan",
                s -> s.time().toEpochMilli() / 1000.0);
    }

    /** Few fixed buckets: this histogram exists once per pod, so its size is multiplied by the cluster. */
    private static java.time.Duration ms(double millis) {
        return java.time.Duration.ofNanos((long) (millis * 1_000_000));
    }

    private void gauge(MeterRegistry registry, String name, String help,
            java.util.function.ToDoubleFunction<Snapshot> f) {
        io.micrometer.core.instrument.Gauge.builder(name, last, r -> r.get() == null ? Double.NaN : f.applyAsDouble(r.get()))
                .description(help).register(registry);
    }

    private static double sockets(Snapshot s, String direction) {
        return switch (direction) {
            case "listen" -> s.listeners().size();
            case "outbound" -> s.outbound().size();
            case "inbound" -> s.inbound().size();
            case "raw" -> s.raw().size();
            default -> s.unix().size();
        };
    }

    void onSnapshot(@Observes Snapshot s) {
        last.set(s);
        scanDuration.record(s.scanDuration().toNanos(), TimeUnit.NANOSECONDS);
        forks.increment(s.forks().sinceLastScan());
        scans.increment();
    }
}
