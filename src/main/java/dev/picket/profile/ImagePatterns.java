package dev.picket.profile;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks the patterns of {@code spec.images}. Matching is the injector's job (it implements the same meaning: {@code *}
 * any characters but {@code /}, {@code **} any characters, {@code ?} one character but {@code /}, everything else
 * literal); the sidecar only refuses what could never match as the author meant.
 */
final class ImagePatterns {

    private static final Pattern REPOSITORY = Pattern.compile(WorkloadProfileSchema.REPOSITORY_PATTERN);
    private static final Pattern TAG = Pattern.compile(WorkloadProfileSchema.TAG_PATTERN);

    private ImagePatterns() {
    }

    /** Why {@code pattern} is not a usable repository pattern, or empty when it is. */
    static Optional<String> repositoryProblem(String pattern) {
        if (pattern.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (pattern.length() > ProfileLimits.MAX_IMAGE_PATTERN_LENGTH) {
            return Optional.of("is longer than " + ProfileLimits.MAX_IMAGE_PATTERN_LENGTH + " characters");
        }
        if (pattern.contains("@")) {
            return Optional.of("names a digest; a pattern matches repositories, so leave out @sha256:... (use"
                    + " requireDigest to demand digests)");
        }
        int slash = pattern.indexOf('/');
        if (slash >= 0 && pattern.indexOf(':', slash) >= 0) {
            return Optional.of("names a tag; a pattern matches repositories, so leave out :tag (use denyTags for tags)");
        }
        if (pattern.contains("***")) {
            return Optional.of("has *** ; use * (within one segment) or ** (across segments)");
        }
        if (!REPOSITORY.matcher(pattern).matches()) {
            return Optional.of("is not a repository pattern: a lower-case registry host[:port], then path segments of"
                    + " a-z 0-9 . _ - separated by single slashes, with *, ** and ?");
        }
        String first = slash < 0 ? pattern : pattern.substring(0, slash);
        boolean registry = first.contains(".") || first.contains(":") || first.equals("localhost")
                || first.contains("*") || first.contains("?");
        if (!registry) {
            return Optional.of("starts with no registry: patterns match the full repository name, registry included"
                    + " (docker.io/library/nginx for the image nginx), so start with a registry host, or with * or **");
        }
        return Optional.empty();
    }

    /** Why {@code tag} is not a usable tag pattern, or empty when it is. */
    static Optional<String> tagProblem(String tag) {
        if (!TAG.matcher(tag).matches()) {
            return Optional.of("is not a tag: letters, digits, _ . - (not first) and the wildcards * and ?, at most 128"
                    + " characters");
        }
        return Optional.empty();
    }
}
