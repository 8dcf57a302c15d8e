package dev.picket.kube;

import dev.picket.respond.QuarantinePublisher;
import dev.picket.respond.QuarantineRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * In a cluster, a quarantine labels the pod ({@code picket.dev/quarantined: "true"} and the reason annotation)
 * before readiness goes down, waiting at most {@code picket.kube.label-timeout}; when the API server does not
 * answer in time the label is retried through the delivery queue and readiness goes down anyway. Outside a
 * cluster it does what the default publisher does: nothing (the state file is the record). Never throws.
 */
@ApplicationScoped
public class ClusterQuarantinePublisher implements QuarantinePublisher {

    private static final Logger LOG = Logger.getLogger(ClusterQuarantinePublisher.class);

    @Inject
    KubeRuntime runtime;

    @Override
    public String publish(QuarantineRecord record) {
        try {
            return runtime.publish(record);
        } catch (RuntimeException e) {
            LOG.errorf(e, "publishing the quarantine failed");
            return "publishing the quarantine failed: " + e;
        }
    }
}
