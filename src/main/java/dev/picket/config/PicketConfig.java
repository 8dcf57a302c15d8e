package dev.picket.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** Every setting of the sidecar, settable as {@code PICKET_*} environment variables. */
@ConfigMapping(prefix = "picket")
public interface PicketConfig {

    /** Root of the procfs to read; tests point it at recorded fixture trees. */
    @WithName("proc-root")
    @WithDefault("/proc")
    Path procRoot();

    Watch watch();

    Scan scan();

    Profile profile();

    State state();

    Learn learn();

    Control control();

    /** The Kubernetes integration (docs/kubernetes.md). */
    Kube kube();

    /** Overrides the profile's mode (the injector sets it from the pod annotation {@code picket.dev/mode}). */
    Optional<String> mode();

    interface Watch {
        /** Watch this process and its descendants instead of the whole PID namespace. */
        @WithName("root-pid")
        OptionalInt rootPid();

        /** Start this shell command and watch its process tree. */
        Optional<String> command();
    }

    interface Scan {
        @WithDefault("1s")
        Duration interval();

        /** Longest argv kept per process; longer ones are cut and flagged. */
        @WithName("max-argv-bytes")
        @WithDefault("4096")
        int maxArgvBytes();

        /** A known, unchanged process gets its full re-read (status, namespaces, fds, I/O) every this many scans. */
        @WithName("deep-every")
        @WithDefault("5")
        int deepEvery();

        /** Stat handles kept open between scans; beyond this, stat files are opened per scan. */
        @WithName("max-handles")
        @WithDefault("8192")
        int maxHandles();
    }

    interface Profile {
        /** Profile file (YAML, the shape of the WorkloadProfile resource); absent means the embedded default. */
        Optional<Path> path();
    }

    interface Learn {
        /** Learned resource ceilings are the peaks seen times this factor. */
        @WithDefault("1.5")
        double headroom();
    }

    interface State {
        /** Where quarantine state survives a restart of Picket. */
        @WithDefault("${java.io.tmpdir}/picket-state")
        Path dir();
    }

    interface Control {
        /**
         * Bearer token for the control endpoint in local mode, readable only by its owner; created with a
         * random token when absent. Default: {@code control-token} in the state directory.
         */
        @WithName("token-file")
        Optional<Path> tokenFile();

        /** Failed authentications tolerated per minute before every call is refused with 429 for the rest of it. */
        @WithName("max-auth-failures-per-minute")
        @WithDefault("30")
        int maxAuthFailuresPerMinute();
    }

    interface Kube {
        /**
         * {@code auto} (the default): on when {@code POD_NAME} and {@code POD_NAMESPACE} are set and a
         * service-account token is mounted; {@code true} or {@code false} to decide explicitly.
         */
        @WithDefault("auto")
        String enabled();

        /** The pod's name; default the {@code POD_NAME} environment variable the injector sets. */
        @WithName("pod-name")
        Optional<String> podName();

        /** The pod's namespace; default {@code POD_NAMESPACE}. */
        @WithName("pod-namespace")
        Optional<String> podNamespace();

        /** The WorkloadProfile to use; default {@code PICKET_PROFILE_NAME}, else the pod annotation picket.dev/profile. */
        @WithName("profile-name")
        Optional<String> profileName();

        /** The mounted service-account token whose presence {@code enabled=auto} looks for. */
        @WithName("token-file")
        @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/token")
        Path tokenFile();

        /** Events, status writes and label retries waiting for the API server; beyond this, new ones are dropped and counted. */
        @WithName("queue-size")
        @WithDefault("256")
        int queueSize();

        /** First wait after a failed delivery; doubles per failure up to {@code retry-max}. */
        @WithName("retry-initial")
        @WithDefault("500ms")
        Duration retryInitial();

        @WithName("retry-max")
        @WithDefault("30s")
        Duration retryMax();

        /** How long a quarantine waits for the pod label before readiness goes down anyway (the label is then retried). */
        @WithName("label-timeout")
        @WithDefault("2s")
        Duration labelTimeout();

        /** Status is written at most this often, and only when something changed. */
        @WithName("status-interval")
        @WithDefault("5s")
        Duration statusInterval();

        /** How long a TokenReview/SubjectAccessReview answer is reused for the same token. */
        @WithName("auth-cache-ttl")
        @WithDefault("10s")
        Duration authCacheTtl();

        /** How long the startup probe waits for the profile from the API server before starting with the embedded default. */
        @WithName("profile-wait")
        @WithDefault("10s")
        Duration profileWait();

        /** A repeated violation (same rule, same executable) within this window updates one Event's series. */
        @WithName("event-series-window")
        @WithDefault("30m")
        Duration eventSeriesWindow();

        /** Longest Event note in bytes (the API server refuses more than 1024). */
        @WithName("event-note-limit")
        @WithDefault("1024")
        int eventNoteLimit();
    }
}
