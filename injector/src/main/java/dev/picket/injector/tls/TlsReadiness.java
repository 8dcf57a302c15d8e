package dev.picket.injector.tls;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready without a valid serving certificate: the API server would fail every call's TLS handshake. */
@Readiness
@ApplicationScoped
public class TlsReadiness implements HealthCheck {

    @Inject
    ServingCertificate serving;

    @Inject
    Clock clock;

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("webhook-certificate");
        return serving.current()
                .map(bundle -> builder.status(bundle.notAfter().isAfter(clock.instant()))
                        .withData("notAfter", bundle.notAfter().toString())
                        .withData("subject", bundle.leaf().getSubjectX500Principal().getName()))
                .orElseGet(() -> builder.down().withData("reason", "no certificate loaded"))
                .build();
    }
}
