package dev.picket.injector.mutate;

/**
 * The labels, annotations and names that form Picket's contract with users and with the sidecar.
 * Kept in one place because the docs, the manifests and the sidecar all depend on these exact strings.
 */
public final class PicketKeys {

    /** Pod label: {@code "true"} opts a pod in anywhere, {@code "false"} opts it out of an enabled namespace. */
    public static final String INJECT_LABEL = "picket.dev/inject";
    /** Namespace label whose value {@link #NAMESPACE_ENABLED} injects every pod of the namespace. */
    public static final String NAMESPACE_LABEL = "picket.dev/injection";
    public static final String NAMESPACE_ENABLED = "enabled";

    /** Written by the injector: what was injected and by which version. Its presence means "already injected". */
    public static final String STATUS_ANNOTATION = "picket.dev/status";

    public static final String PROFILE_ANNOTATION = "picket.dev/profile";
    public static final String MODE_ANNOTATION = "picket.dev/mode";
    public static final String IMAGE_ANNOTATION = "picket.dev/sidecar-image";
    public static final String CPU_REQUEST_ANNOTATION = "picket.dev/sidecar-cpu-request";
    public static final String CPU_LIMIT_ANNOTATION = "picket.dev/sidecar-cpu-limit";
    public static final String MEMORY_REQUEST_ANNOTATION = "picket.dev/sidecar-memory-request";
    public static final String MEMORY_LIMIT_ANNOTATION = "picket.dev/sidecar-memory-limit";
    /** Per-pod choice of native sidecar ({@code "true"}) or regular container ({@code "false"}). */
    public static final String NATIVE_ANNOTATION = "picket.dev/sidecar-native";
    /** Per-pod choice of {@code separate} or {@code same-as-app} UID (EKS Fargate pods next to EC2 pods). */
    public static final String UID_MODE_ANNOTATION = "picket.dev/sidecar-uid-mode";

    /** Pod Security Admission label; baseline and restricted forbid SYS_PTRACE. */
    public static final String POD_SECURITY_ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

    public static final String CONTAINER_NAME = "picket";
    public static final String STATE_VOLUME = "picket-state";
    public static final String TMP_VOLUME = "picket-tmp";
    public static final String TOKEN_VOLUME = "picket-kube-api-access";
    public static final String STATE_DIR = "/var/lib/picket";
    public static final String TMP_DIR = "/tmp";
    public static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static final String CONTROL_PORT_NAME = "control";
    public static final int CONTROL_PORT = 8788;
    public static final String MANAGEMENT_PORT_NAME = "management";
    public static final int MANAGEMENT_PORT = 8789;

    private PicketKeys() {
    }
}
