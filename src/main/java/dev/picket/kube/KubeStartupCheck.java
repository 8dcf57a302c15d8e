package dev.picket.kube;

import dev.picket.config.PicketConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * Start-up waits a little for the profile from the API server, so that the app containers (which a native
 * sidecar holds back until Picket has started) begin under their own profile rather than the embedded
 * default; but never longer than {@code picket.kube.profile-wait}: an unreachable API server must not keep
 * the pod from starting. Readiness and liveness never depend on the API server.
 */
@Startup
@ApplicationScoped
public class KubeStartupCheck implements HealthCheck {

    @Inject
    KubeRuntime runtime;
    @Inject
    PicketConfig config;

    @Override
    public HealthCheckResponse call() {
        if (!runtime.enabled()) {
            return HealthCheckResponse.named("picket-kube-profile").up().withData("kubernetes", "off").build();
        }
        boolean settled = runtime.profileSettled(config.kube().profileWait());
        return HealthCheckResponse.named("picket-kube-profile").status(settled)
                .withData("profile", settled ? "settled (from the API server, or the embedded default after "
                        + config.kube().profileWait() + ")" : "waiting for the WorkloadProfile from the API server")
                .build();
    }
}
