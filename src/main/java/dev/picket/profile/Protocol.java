package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Optional;

/** Transport protocol of a network rule; {@code any} (the default) admits both. */
@RegisterForReflection
public enum Protocol {
    TCP, UDP, ANY;

    /**
     * Whether a rule with this protocol admits a connection or socket using {@code actual}. A rule for
     * {@code any} admits everything; a question asked with {@code ANY} (protocol unknown) is admitted only by
     * an {@code any} rule, so an unknown protocol never slips through a TCP-only rule.
     */
    public boolean admits(Protocol actual) {
        return this == ANY || this == actual;
    }

    @JsonValue
    public String wire() {
        return Wire.of(this);
    }

    @JsonCreator
    public static Protocol fromWire(String text) {
        return Wire.parseOrThrow(Protocol.class, text);
    }

    public static Optional<Protocol> parse(String text) {
        return Wire.parse(Protocol.class, text);
    }
}
