package dev.picket.observe;

import dev.picket.config.PicketConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/**
 * Liveness: the scan loop keeps completing scans. Readiness: at least one scan completed. A stuck or
 * failing scanner is a blind sidecar, and Kubernetes should restart it.
 */
public final class ScanHealth {

    private ScanHealth() {
    }

    static HealthCheckResponse firstScan(String name, LatestSnapshot latest) {
        return latest.get().map(s -> HealthCheckResponse.named(name).up().withData("scans", s.sequence()).build())
                .orElseGet(() -> HealthCheckResponse.named(name).down().withData("reason", "no scan completed yet").build());
    }

    @Liveness
    @ApplicationScoped
    public static class ScansRunning implements HealthCheck {
        @Inject
        LatestSnapshot latest;
        @Inject
        ScanLoop loop;
        @Inject
        PicketConfig config;

        @Override
        public HealthCheckResponse call() {
            long since = latest.nanosSinceLastScan();
            if (since == Long.MAX_VALUE) {
                return HealthCheckResponse.named("picket-scan").up().withData("scans", 0).build();
            }
            long limit = Math.max(config.scan().interval().toNanos() * 5, 10_000_000_000L);
            if (since > limit) {
                Throwable failure = loop.lastFailure();
                return HealthCheckResponse.named("picket-scan").down()
                        .withData("reason", "no scan completed for " + since / 1_000_000 + " ms"
                                + (failure == null ? "" : "; last failure: " + failure.getClass().getSimpleName()))
                        .build();
            }
            return HealthCheckResponse.named("picket-scan").up().withData("lastScanAgoMillis", since / 1_000_000).build();
        }
    }

    @Readiness
    @ApplicationScoped
    public static class FirstScanDone implements HealthCheck {
        @Inject
        LatestSnapshot latest;

        @Override
        public HealthCheckResponse call() {
            return firstScan("picket-first-scan", latest);
        }
    }

    /** Started: the first scan is done, so a native sidecar lets the application start only now. */
    @Startup
    @ApplicationScoped
    public static class Started implements HealthCheck {
        @Inject
        LatestSnapshot latest;

        @Override
        public HealthCheckResponse call() {
            return firstScan("picket-started", latest);
        }
    }
}
