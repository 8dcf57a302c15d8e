package dev.picket.injector.mutate;

import java.util.Arrays;
import java.util.Optional;

/** Which user the sidecar runs as. */
public enum UidMode {
    /** Its own UID (65532 by default) with KILL and SYS_PTRACE: the app cannot signal it. */
    SEPARATE("separate"),
    /**
     * The app's UID and no added capabilities, where the separate mode's are forbidden: EKS Fargate (SYS_PTRACE),
     * Pod Security baseline (SYS_PTRACE) and restricted (both).
     */
    SAME_AS_APP("same-as-app");

    private final String value;

    UidMode(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<UidMode> parse(String text) {
        return Arrays.stream(values()).filter(m -> m.value.equals(text)).findFirst();
    }
}
