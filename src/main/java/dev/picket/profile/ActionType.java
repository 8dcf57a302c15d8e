package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Optional;

/** What to do about a violation of one kind; only taken in enforce mode, shown as {@code WOULD_*} in monitor mode. */
@RegisterForReflection
public enum ActionType {
    /** Record and publish the violation; touch nothing. The default for every kind. */
    REPORT,
    /** Kill the offending process. */
    KILL,
    /** Take the pod out of service (readiness fails, the quarantine label is set). */
    QUARANTINE;

    @JsonValue
    public String wire() {
        return Wire.of(this);
    }

    @JsonCreator
    public static ActionType fromWire(String text) {
        return Wire.parseOrThrow(ActionType.class, text);
    }

    public static Optional<ActionType> parse(String text) {
        return Wire.parse(ActionType.class, text);
    }
}
