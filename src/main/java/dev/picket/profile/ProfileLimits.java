package dev.picket.profile;

import java.time.Duration;

/**
 * Upper bounds on what a profile may hold. They keep parsing, validation and every match on the judge's hot
 * path bounded in time and memory whatever the input; {@code docs/profiles.md} lists them for users.
 */
public final class ProfileLimits {

    /** Largest profile file or document accepted: 1 MiB. */
    public static final int MAX_DOCUMENT_BYTES = 1 << 20;
    /** Deepest nesting of mappings and lists in a document (a profile needs 7). */
    public static final int MAX_NESTING_DEPTH = 32;
    /** Problems reported for one document; the rest are counted in a final line. */
    public static final int MAX_PROBLEMS = 50;

    public static final int MAX_PROCESS_RULES = 1024;
    public static final int MAX_EGRESS_RULES = 1024;
    public static final int MAX_LISTEN_RULES = 256;
    public static final int MAX_PORTS_PER_RULE = 256;
    public static final int MAX_DISABLED_THREATS = 64;
    /** Entries of {@code spec.threats.exceptions}. */
    public static final int MAX_THREAT_EXCEPTIONS = 256;
    /** Longest {@code reason} of a threat exception, in characters. */
    public static final int MAX_EXCEPTION_REASON_LENGTH = 1024;

    /** Longest glob, in characters. */
    public static final int MAX_GLOB_LENGTH = 1024;
    /** Most alternatives a glob's {@code {a,b}} groups may multiply out to. */
    public static final int MAX_GLOB_ALTERNATIVES = 32;
    /** Longest string accepted anywhere else (CIDR, duration, quantity are much shorter). */
    public static final int MAX_STRING_LENGTH = 4096;

    public static final int MAX_SELECTOR_LABELS = 64;
    public static final int MAX_SELECTOR_EXPRESSIONS = 32;
    public static final int MAX_SELECTOR_VALUES = 64;

    /** Entries of {@code spec.images.allow.repositories}. */
    public static final int MAX_IMAGE_REPOSITORIES = 256;
    /** Longest repository pattern; a repository name has at most 255 characters. */
    public static final int MAX_IMAGE_PATTERN_LENGTH = 512;
    /** Entries of {@code spec.images.denyTags.tags}. */
    public static final int MAX_DENY_TAGS = 64;

    public static final Duration MAX_LEARN_DURATION = Duration.ofDays(90);
    public static final Duration MAX_SUSTAIN = Duration.ofHours(1);
    public static final double MAX_CPU_CORES = 1024;
    /** {@code PID_MAX_LIMIT} of 64-bit Linux: no namespace can hold more processes or threads. */
    public static final int MAX_TASKS = 4_194_304;
    /** Largest {@code fs.nr_open} Linux accepts. */
    public static final int MAX_OPEN_FILES = 1_073_741_816;
    public static final int MAX_FORKS_PER_MINUTE = 1_000_000;

    private ProfileLimits() {
    }
}
