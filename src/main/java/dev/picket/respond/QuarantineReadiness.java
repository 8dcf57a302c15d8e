package dev.picket.respond;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Readiness DOWN while quarantined: Kubernetes takes the pod out of its Services' endpoints. */
@Readiness
@ApplicationScoped
public class QuarantineReadiness implements HealthCheck {

    @Inject
    QuarantineState state;

    @Override
    public HealthCheckResponse call() {
        return state.current().map(r -> {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("picket-quarantine").down()
                    .withData("reason", "quarantined: " + r.reason())
                    .withData("since", String.valueOf(r.time()));
            if (r.violationId() != null) {
                b.withData("violation", r.violationId());
            }
            return b.build();
        }).orElseGet(() -> HealthCheckResponse.named("picket-quarantine").up().build());
    }
}
