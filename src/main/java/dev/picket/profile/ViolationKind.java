package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Optional;

/** What a violation is about; each kind has its own action in {@code spec.actions}. */
@RegisterForReflection
public enum ViolationKind {
    /** An exec that no {@code processes.allow} entry admits, or a root process when {@code allowRoot} is false. */
    PROCESS,
    /** An outbound connection that no {@code network.egress} entry admits. */
    EGRESS,
    /** A listening socket that no {@code network.listen} entry admits. */
    LISTEN,
    /** A {@code resources} ceiling exceeded for longer than {@code sustain}. */
    RESOURCE,
    /** A built-in {@link ThreatRule} fired. */
    THREAT;

    @JsonValue
    public String wire() {
        return Wire.of(this);
    }

    @JsonCreator
    public static ViolationKind fromWire(String text) {
        return Wire.parseOrThrow(ViolationKind.class, text);
    }

    public static Optional<ViolationKind> parse(String text) {
        return Wire.parse(ViolationKind.class, text);
    }
}
