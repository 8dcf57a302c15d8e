package dev.picket.injector.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import dev.picket.injector.mutate.UidMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every setting of the injector, with its default, in one place. Each key can also be set as an
 * environment variable (picket.injector.sidecar.uid-mode -> PICKET_INJECTOR_SIDECAR_UID_MODE).
 */
@ConfigMapping(prefix = "picket.injector")
public interface InjectorConfig {

    /** The namespace the injector runs in (set it from the downward API); its pods are never injected. */
    @WithDefault("picket-system")
    String namespace();

    /** Namespaces whose pods are never injected, whatever their labels say. */
    @WithDefault("kube-system")
    Set<String> excludedNamespaces();

    /** What happens to a pod that should be injected but cannot be: {@code deny} it, or {@code allow} it without the sidecar. */
    @WithDefault("deny")
    OnFailure onFailure();

    /** Recorded in the picket.dev/status annotation; the build's version unless overridden. */
    @WithDefault("${quarkus.application.version}")
    String version();

    Sidecar sidecar();

    Tls tls();

    Profiles profiles();

    enum OnFailure {
        DENY,
        ALLOW
    }

    interface Sidecar {
        @WithDefault("ghcr.io/picket-dev/picket:0.1.0")
        String image();

        @WithDefault("IfNotPresent")
        String imagePullPolicy();

        /** true: first init container with restartPolicy Always (Kubernetes 1.29+); false: a regular container. */
        @WithName("native")
        @WithDefault("true")
        boolean nativeSidecar();

        /** {@code separate} (own UID, KILL + SYS_PTRACE) or {@code same-as-app} (app's UID, no capabilities). */
        @WithDefault("separate")
        UidMode uidMode();

        /** UID of the sidecar in separate mode; must differ from every app container's UID. */
        @WithDefault("65532")
        long uid();

        /** GID of the sidecar in separate mode. */
        @WithDefault("65532")
        long gid();

        Resources resources();
    }

    interface Resources {
        @WithDefault("10m")
        String cpuRequest();

        @WithDefault("200m")
        String cpuLimit();

        @WithDefault("64Mi")
        String memoryRequest();

        @WithDefault("128Mi")
        String memoryLimit();
    }

    /** Where the injector reads WorkloadProfiles (the image policy and the pod-security mode of each pod). */
    interface Profiles {
        /** Namespaces whose profiles are watched, one informer each; absent: one informer on all namespaces. */
        Optional<Set<String>> namespaces();

        /** How long start-up waits for the first sync of the profile informers. */
        @WithDefault("10s")
        Duration syncWait();
    }

    interface Tls {
        /** {@code mounted} (certificate files, e.g. from cert-manager) or {@code self-managed} (own CA in a Secret). */
        @WithDefault("mounted")
        TlsMode mode();

        @WithDefault("/etc/picket-injector/tls/tls.crt")
        String certFile();

        @WithDefault("/etc/picket-injector/tls/tls.key")
        String keyFile();

        /** How often mounted files are checked for a renewed certificate. */
        @WithDefault("30s")
        Duration reloadInterval();

        SelfManaged selfManaged();
    }

    enum TlsMode {
        MOUNTED,
        SELF_MANAGED
    }

    interface SelfManaged {
        /** Secret (in the injector's namespace) that holds the CA and the serving certificate. */
        @WithDefault("picket-injector-tls")
        String secretName();

        /** MutatingWebhookConfiguration whose webhooks get the CA as caBundle. */
        @WithDefault("picket-injector")
        String webhookConfigurationName();

        /** Service that fronts the injector; the certificate is issued for its cluster DNS names. */
        @WithDefault("picket-injector")
        String serviceName();

        @WithDefault("365d")
        Duration caValidity();

        @WithDefault("90d")
        Duration certificateValidity();

        /** A CA or certificate with less than this left is replaced. */
        @WithDefault("30d")
        Duration renewBefore();

        /** How often the Secret, the caBundle and the expiry dates are checked. */
        @WithDefault("1m")
        Duration reconcileInterval();
    }
}
