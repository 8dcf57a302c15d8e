package dev.picket.profile;

import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The lower-case spelling the profile format uses for the constants of Picket's enums. */
final class Wire {

    private Wire() {
    }

    static String of(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** Exact, case-sensitive match on the wire spelling: {@code enforce} is a mode, {@code Enforce} is not. */
    static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (E e : type.getEnumConstants()) {
            if (of(e).equals(text)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    static <E extends Enum<E>> E parseOrThrow(Class<E> type, String text) {
        return parse(type, text).orElseThrow(() -> new IllegalArgumentException(
                "\"" + text + "\" is not one of " + names(type)));
    }

    /** {@code learn, monitor, enforce}: for messages. */
    static <E extends Enum<E>> String names(Class<E> type) {
        return Stream.of(type.getEnumConstants()).map(Wire::of).collect(Collectors.joining(", "));
    }
}
