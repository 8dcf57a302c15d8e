package dev.picket.kube;

import dev.picket.config.PicketConfig;

import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the Kubernetes integration is on, and for which pod. {@code picket.kube.enabled=auto} turns it on
 * exactly when the sidecar can work in a cluster: it knows its pod (name and namespace from the downward API)
 * and holds a service-account token to talk to the API server.
 *
 * @param enabled whether to talk to the API server at all
 * @param why     one sentence for the start-up log
 * @param pod     present when enabled
 */
public record KubeSettings(boolean enabled, String why, Optional<PodIdentity> pod) {

    static KubeSettings resolve(PicketConfig.Kube config, Map<String, String> env) {
        String mode = config.enabled().trim().toLowerCase(java.util.Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("true") && !mode.equals("false")) {
            throw new IllegalArgumentException("picket.kube.enabled: \"" + config.enabled()
                    + "\" is not one of auto, true, false");
        }
        Optional<String> name = config.podName().or(() -> nonBlank(env.get("POD_NAME")));
        Optional<String> namespace = config.podNamespace().or(() -> nonBlank(env.get("POD_NAMESPACE")));
        Optional<String> uid = nonBlank(env.get("POD_UID"));
        Optional<String> profile = config.profileName().or(() -> nonBlank(env.get("PICKET_PROFILE_NAME")));
        if (mode.equals("false")) {
            return new KubeSettings(false, "picket.kube.enabled=false", Optional.empty());
        }
        if (name.isEmpty() || namespace.isEmpty()) {
            if (mode.equals("true")) {
                throw new IllegalArgumentException("picket.kube.enabled=true needs the pod's name and namespace:"
                        + " set POD_NAME and POD_NAMESPACE from the downward API (or picket.kube.pod-name/pod-namespace)");
            }
            return new KubeSettings(false, "POD_NAME and POD_NAMESPACE are not both set: not in a cluster",
                    Optional.empty());
        }
        PodIdentity pod = new PodIdentity(namespace.get(), name.get(), uid, profile);
        if (mode.equals("auto") && !Files.isReadable(config.tokenFile())) {
            return new KubeSettings(false, "no service-account token at " + config.tokenFile()
                    + " (set picket.kube.enabled=true to use the Kubernetes client's other credentials)", Optional.empty());
        }
        return new KubeSettings(true, "pod " + pod + (mode.equals("auto") ? ", service-account token present" : ""),
                Optional.of(pod));
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }
}
