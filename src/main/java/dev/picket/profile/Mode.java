package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Optional;

/** How Picket treats what it sees; written {@code learn}, {@code monitor} or {@code enforce} in a profile. */
@RegisterForReflection
public enum Mode {
    /** Record what the workload does; report only threats. */
    LEARN,
    /** Report every violation with the action enforcing would have taken ({@code WOULD_KILL}, ...). */
    MONITOR,
    /** Report every violation and hand its action to the responder. */
    ENFORCE;

    @JsonValue
    public String wire() {
        return Wire.of(this);
    }

    @JsonCreator
    public static Mode fromWire(String text) {
        return Wire.parseOrThrow(Mode.class, text);
    }

    /** The mode spelled exactly {@code learn}, {@code monitor} or {@code enforce}; empty for anything else. */
    public static Optional<Mode> parse(String text) {
        return Wire.parse(Mode.class, text);
    }
}
