package dev.picket.api;

/**
 * Decides whether a control call may proceed. Locally a token file; in a cluster (see the kube package)
 * a Kubernetes service-account token checked with TokenReview and SubjectAccessReview.
 */
public interface ControlAuthorizer {

    /** What a call does; each maps to a verb on a resource for SubjectAccessReview in a cluster. */
    enum Operation {
        READ, QUARANTINE, MODE
    }

    /** 200 to proceed; 401 (not authenticated) or 403 (not allowed) with a reason otherwise. */
    record Decision(int status, String error, String message, String caller) {

        static Decision allow(String caller) {
            return new Decision(200, null, null, caller);
        }

        static Decision unauthenticated(String message) {
            return new Decision(401, "unauthorized", message, null);
        }

        static Decision forbidden(String caller, String message) {
            return new Decision(403, "forbidden", message, caller);
        }

        public boolean allowed() {
            return status == 200;
        }
    }

    Decision authorize(String bearerToken, Operation operation);

    /** True when {@link #authorize} may wait on the network (the Kubernetes API server): it then runs off the event loop. */
    default boolean mayBlock() {
        return false;
    }
}
