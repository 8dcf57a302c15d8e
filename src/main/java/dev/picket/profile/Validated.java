package dev.picket.profile;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The outcome of reading or validating a profile: a value, or every problem found (never both, never
 * neither).
 *
 * @param value    the result; null when there are problems
 * @param problems what is wrong, in document order; empty when there is a value
 */
public record Validated<T>(T value, List<ValidationProblem> problems) {

    public Validated {
        problems = List.copyOf(problems);
        if ((value == null) == problems.isEmpty()) {
            throw new IllegalArgumentException("a value or problems, exactly one of them");
        }
    }

    public static <T> Validated<T> valid(T value) {
        return new Validated<>(value, List.of());
    }

    public static <T> Validated<T> invalid(List<ValidationProblem> problems) {
        return new Validated<>(null, problems);
    }

    public boolean isValid() {
        return value != null;
    }

    public Optional<T> result() {
        return Optional.ofNullable(value);
    }

    /** The value, or an {@link IllegalStateException} listing the problems. */
    public T orElseThrow() {
        if (value == null) {
            throw new IllegalStateException(describe());
        }
        return value;
    }

    public <U> Validated<U> map(Function<? super T, ? extends U> f) {
        return value == null ? invalid(problems) : valid(f.apply(value));
    }

    /** The problems, one per line: {@code path: message}. Empty when valid. */
    public String describe() {
        return problems.stream().map(ValidationProblem::toString).collect(Collectors.joining("\n"));
    }
}
