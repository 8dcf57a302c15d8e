package dev.picket.profile;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One thing wrong with a profile: where ({@code spec.network.egress[2].cidr}, or {@code <document>} for the
 * file as a whole) and what, e.g. {@code "10.0.0.0/33" is not a valid CIDR: ...}.
 */
@RegisterForReflection
public record ValidationProblem(String path, String message) {

    /** Path of problems with the document as a whole: syntax, size, aliases. */
    public static final String DOCUMENT = "<document>";

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
