package dev.picket.profile;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Why the last attempt to change the profile failed; the previous good profile stays active. Shown as
 * {@code profileError} in {@code GET /v1/status}.
 *
 * @param source   what was being loaded ({@code file /etc/picket/profile.yaml}, {@code WorkloadProfile ns/name})
 * @param message  one line for people: what failed and, for a rejected profile, every problem with its path
 * @param problems the validation problems; empty when the failure was not the content (file removed, unreadable)
 * @param time     when it failed
 */
@RegisterForReflection
public record ProfileError(String source, String message, List<ValidationProblem> problems, Instant time) {

    public ProfileError {
        Objects.requireNonNull(source);
        Objects.requireNonNull(message);
        problems = List.copyOf(problems);
        Objects.requireNonNull(time);
    }
}
