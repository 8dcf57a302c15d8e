package dev.picket.profile;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Compiled {@code spec.resources}: each ceiling is empty when the profile sets none (not checked).
 *
 * @param memory  the memory ceiling as written ({@code 256Mi}), for display; {@code memoryBytes} is what counts
 * @param sustain how long a ceiling must be exceeded before it counts
 */
public record Ceilings(OptionalDouble cpuCores, OptionalLong memoryBytes, Optional<String> memory,
        OptionalInt processes, OptionalInt threads, OptionalInt openFiles, OptionalInt forksPerMinute,
        Duration sustain) {

    /** The sustain when the profile sets none: one-off spikes under five seconds do not count. */
    public static final Duration DEFAULT_SUSTAIN = Duration.ofSeconds(5);

    public static final Ceilings NONE = new Ceilings(OptionalDouble.empty(), OptionalLong.empty(), Optional.empty(),
            OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), DEFAULT_SUSTAIN);

    public Ceilings {
        Objects.requireNonNull(cpuCores);
        Objects.requireNonNull(memoryBytes);
        Objects.requireNonNull(memory);
        Objects.requireNonNull(processes);
        Objects.requireNonNull(threads);
        Objects.requireNonNull(openFiles);
        Objects.requireNonNull(forksPerMinute);
        Objects.requireNonNull(sustain);
    }
}
