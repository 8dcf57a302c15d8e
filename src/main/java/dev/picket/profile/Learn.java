package dev.picket.profile;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Compiled {@code spec.learn}.
 *
 * @param duration how long to learn; empty: until the mode is changed by hand
 * @param then     the mode to switch to after {@code duration}: monitor (the default) or enforce
 */
public record Learn(Optional<Duration> duration, Mode then) {

    public static final Learn UNTIL_CHANGED = new Learn(Optional.empty(), Mode.MONITOR);

    public Learn {
        Objects.requireNonNull(duration);
        Objects.requireNonNull(then);
    }
}
