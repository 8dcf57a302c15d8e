package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;
import java.util.Map;

/**
 * What the CRD generator needs beyond the model: patterns and value lists for the OpenAPI schema, and the
 * schema of {@code spec.selector}, which replaces fabric8's {@code LabelSelector} schema so that its lists
 * are bounded (the API server refuses CEL rules whose cost it cannot bound) and the operator/values rule of
 * the validator is checked at admission too. Never instantiated; the sidecar's own validation
 * ({@link ProfileReader}) stays the authority, the schema only refuses the obvious earlier.
 */
public final class WorkloadProfileSchema {

    /** A Go duration as {@link GoDuration} reads it: {@code 0}, or numbers with units ({@code 1h30m}, {@code 1.5h}). */
    public static final String DURATION = "^(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$";

    /** Globs are matched against full paths: they start with {@code /}, {@code *} or {@code {}. */
    public static final String GLOB_START = "^[/*{]";

    /** The ids of {@link ThreatRule}; a test keeps the list equal to the enum. */
    public static final String THREAT_ID = "^(exec-from-writable-dir|fileless-exec|reverse-shell|mining-pool"
            + "|cloud-metadata|kube-api-contact|packet-socket|namespace-change|ptrace-attached|preload-injection"
            + "|privilege-change|runtime-socket|fork-burst)$";

    /**
     * The {@code reason} of a threat exception: one line, without control characters (it is printed in logs, where a
     * newline could forge a line). The sidecar also refuses a blank reason and invisible formatting characters.
     */
    public static final String REASON = "^[^\\x00-\\x1F\\x7F]+$";

    /** A label value: at most 63 characters, alphanumeric at both ends; empty is allowed. */
    public static final String LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";

    /**
     * A repository pattern of {@code spec.images.allow}: a lower-case registry host (with an optional port) and path
     * segments, with {@code *}, {@code **} and {@code ?}; no tag, no digest. {@link ImagePatterns} checks the rest.
     */
    public static final String REPOSITORY_PATTERN = "^[a-z0-9*?][a-z0-9.*?-]*(:[0-9*?]+)?(/[a-z0-9._*?-]+)*$";

    /** A tag of {@code spec.images.denyTags}, with {@code *} and {@code ?}. */
    public static final String TAG_PATTERN = "^[A-Za-z0-9_*?][A-Za-z0-9_.*?-]{0,127}$";

    private WorkloadProfileSchema() {
    }

    /** Schema of {@code spec.selector}: a Kubernetes label selector with the validator's limits. */
    @JsonPropertyOrder({"matchLabels", "matchExpressions"})
    public static final class Selector {

        @JsonPropertyDescription("Labels a pod must carry, all of them (key: value).")
        @Size(max = ProfileLimits.MAX_SELECTOR_LABELS)
        public Map<String, @Size(max = 63) @Pattern(LABEL_VALUE) String> matchLabels;

        @JsonPropertyDescription("Requirements a pod's labels must meet, all of them.")
        @Size(max = ProfileLimits.MAX_SELECTOR_EXPRESSIONS)
        public List<Requirement> matchExpressions;

        private Selector() {
        }
    }

    /** One entry of {@code spec.selector.matchExpressions}. */
    @JsonPropertyOrder({"key", "operator", "values"})
    @ValidationRule(value = "self.operator in ['In', 'NotIn'] ? (has(self.values) && size(self.values) > 0)"
            + " : (!has(self.values) || size(self.values) == 0)", reason = "FieldValueInvalid", fieldPath = ".values",
            message = "values must not be empty for In and NotIn, and must be empty for Exists and DoesNotExist")
    public static final class Requirement {

        @JsonPropertyDescription("The label key.")
        @Required
        @Size(min = 1, max = 317)
        public String key;

        @JsonPropertyDescription("In | NotIn | Exists | DoesNotExist.")
        @Required
        @Size(max = 12)
        @Pattern("^(In|NotIn|Exists|DoesNotExist)$")
        public String operator;

        @JsonPropertyDescription("Label values: required for In and NotIn, empty for Exists and DoesNotExist.")
        @Size(max = ProfileLimits.MAX_SELECTOR_VALUES)
        public List<@Size(max = 63) @Pattern(LABEL_VALUE) String> values;

        private Requirement() {
        }
    }
}
