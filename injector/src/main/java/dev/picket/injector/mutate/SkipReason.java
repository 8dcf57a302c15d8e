package dev.picket.injector.mutate;

/**
 * Why a pod was admitted without the sidecar. The code is stable: it is a metric label
 * ({@code picket_injector_skips_total{reason}}), an audit annotation and part of every log line,
 * so dashboards and alerts can rely on it. The sentence is for people reading logs.
 */
public enum SkipReason {
    NOT_A_POD("not_a_pod", "The request is not for a Pod (or is for a pod sub-resource); only pods are injected."),
    NOT_A_CREATE("not_a_create", "The request is not a CREATE; the sidecar is added only when a pod is created."),
    NOT_SELECTED("not_selected",
            "Neither the pod (label picket.dev/inject: \"true\") nor its namespace (label picket.dev/injection: enabled) asks for injection."),
    OPTED_OUT("opted_out", "The pod opted out with label picket.dev/inject: \"false\"."),
    ALREADY_INJECTED("already_injected",
            "The pod already carries the Picket sidecar (container picket or annotation picket.dev/status)."),
    HOST_NETWORK("host_network",
            "The pod uses hostNetwork: true; the sidecar's ports 8788 and 8789 would be bound on the node and collide."),
    HOST_PID("host_pid",
            "The pod uses hostPID: true, which Kubernetes does not allow together with the shared process namespace the sidecar needs."),
    INJECTOR_NAMESPACE("injector_namespace",
            "The pod is in the injector's own namespace; injecting there could stop the injector from ever starting."),
    EXCLUDED_NAMESPACE("excluded_namespace", "The pod is in an excluded system namespace (kube-system by default).");

    private final String code;
    private final String sentence;

    SkipReason(String code, String sentence) {
        this.code = code;
        this.sentence = sentence;
    }

    public String code() {
        return code;
    }

    public String sentence() {
        return sentence;
    }
}
