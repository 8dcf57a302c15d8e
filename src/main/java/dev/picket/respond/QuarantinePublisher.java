package dev.picket.respond;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Makes a quarantine visible outside the pod before readiness fails: in a cluster, the pod label that
 * the deny NetworkPolicy selects (see the kube package). Called on the scan thread, so an
 * implementation must bound its wait: enforcement never waits long on the API server.
 */
public interface QuarantinePublisher {

    /** Returns a sentence saying what was done, or why it could not be; never throws. */
    String publish(QuarantineRecord record);

    /** Local mode: the state file is the whole record. */
    @ApplicationScoped
    @DefaultBean
    class None implements QuarantinePublisher {
        @Override
        public String publish(QuarantineRecord record) {
            return "no cluster: the state file is the record";
        }
    }
}
