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
}
