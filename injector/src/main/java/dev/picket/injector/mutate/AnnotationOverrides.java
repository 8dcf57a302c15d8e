package dev.picket.injector.mutate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the per-pod {@code picket.dev/*} annotations. Every problem is collected (not just the first)
 * so a user fixes a manifest in one round, and every message names the annotation at fault.
 */
public final class AnnotationOverrides {

    static final Set<String> MODES = Set.of("learn", "monitor", "enforce");

    /** RFC 1123 subdomain, as Kubernetes object names are validated. */
    private static final Pattern DNS_1123_SUBDOMAIN = Pattern.compile(
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

    /** An OCI image reference: optional registry host[:port], path, then :tag and/or @digest. */
    private static final Pattern IMAGE_REFERENCE = Pattern.compile(
            // A first component is a registry only if it looks like a host: has a dot or a port, or is localhost.
            "^(?:(?:(?:[a-zA-Z0-9-]+\\.)+[a-zA-Z0-9-]+(?::[0-9]+)?|[a-zA-Z0-9-]+:[0-9]+|localhost)/)?"
                    + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$");

    /** Either the resolved overrides or the list of problems; never both. */
    public record Result(Optional<SidecarOverrides> overrides, List<String> problems) {
    }

    private AnnotationOverrides() {
    }

    public static Result resolve(Map<String, String> annotations, SidecarSettings defaults) {
        List<String> problems = new ArrayList<>();

        String image = annotations.getOrDefault(PicketKeys.IMAGE_ANNOTATION, defaults.image());
        if (annotations.containsKey(PicketKeys.IMAGE_ANNOTATION)
                && (image.length() > 4096 || !IMAGE_REFERENCE.matcher(image).matches())) {
            problems.add(describe(PicketKeys.IMAGE_ANNOTATION, image, "is not a valid image reference"));
        }

        Optional<String> mode = Optional.ofNullable(annotations.get(PicketKeys.MODE_ANNOTATION));
        mode.filter(m -> !MODES.contains(m)).ifPresent(m -> problems.add(
                describe(PicketKeys.MODE_ANNOTATION, m, "must be one of learn, monitor, enforce")));

        Optional<String> profile = Optional.ofNullable(annotations.get(PicketKeys.PROFILE_ANNOTATION));
        profile.filter(p -> p.length() > 253 || !DNS_1123_SUBDOMAIN.matcher(p).matches()).ifPresent(p -> problems.add(
                describe(PicketKeys.PROFILE_ANNOTATION, p,
                        "must be a valid profile name (a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters)")));

        boolean nativeSidecar = defaults.nativeSidecar();
        String nativeText = annotations.get(PicketKeys.NATIVE_ANNOTATION);
        if (nativeText != null) {
            switch (nativeText) {
                case "true" -> nativeSidecar = true;
                case "false" -> nativeSidecar = false;
                default -> problems.add(describe(PicketKeys.NATIVE_ANNOTATION, nativeText, "must be \"true\" or \"false\""));
            }
        }

        UidMode uidMode = defaults.uidMode();
        String uidModeText = annotations.get(PicketKeys.UID_MODE_ANNOTATION);
        if (uidModeText != null) {
            Optional<UidMode> parsed = UidMode.parse(uidModeText);
            if (parsed.isPresent()) {
                uidMode = parsed.get();
            } else {
                problems.add(describe(PicketKeys.UID_MODE_ANNOTATION, uidModeText, "must be \"separate\" or \"same-as-app\""));
            }
        }

        ResourceSettings base = defaults.resources();
        ResourceSettings resources = new ResourceSettings(
                annotations.getOrDefault(PicketKeys.CPU_REQUEST_ANNOTATION, base.cpuRequest()),
                annotations.getOrDefault(PicketKeys.CPU_LIMIT_ANNOTATION, base.cpuLimit()),
                annotations.getOrDefault(PicketKeys.MEMORY_REQUEST_ANNOTATION, base.memoryRequest()),
                annotations.getOrDefault(PicketKeys.MEMORY_LIMIT_ANNOTATION, base.memoryLimit()));
        checkPair(annotations, problems, false,
                PicketKeys.CPU_REQUEST_ANNOTATION, resources.cpuRequest(),
                PicketKeys.CPU_LIMIT_ANNOTATION, resources.cpuLimit());
        checkPair(annotations, problems, true,
                PicketKeys.MEMORY_REQUEST_ANNOTATION, resources.memoryRequest(),
                PicketKeys.MEMORY_LIMIT_ANNOTATION, resources.memoryLimit());

        if (!problems.isEmpty()) {
            return new Result(Optional.empty(), List.copyOf(problems));
        }
        return new Result(Optional.of(new SidecarOverrides(image, nativeSidecar, uidMode, resources, mode, profile)),
                List.of());
    }

    /** Validates a request/limit pair; a request above its limit is blamed on whichever of the two the pod set. */
    private static void checkPair(Map<String, String> annotations, List<String> problems, boolean memory,
            String requestKey, String request, String limitKey, String limit) {
        Optional<BigDecimal> requestAmount = checkQuantity(annotations, problems, memory, requestKey, request, false);
        Optional<BigDecimal> limitAmount = checkQuantity(annotations, problems, memory, limitKey, limit, true);
        if (requestAmount.isPresent() && limitAmount.isPresent()
                && requestAmount.get().compareTo(limitAmount.get()) > 0) {
            String blamed = annotations.containsKey(requestKey) ? requestKey : limitKey;
            problems.add("annotation %s: request %s is above limit %s (a request must not exceed its limit)"
                    .formatted(blamed, request, limit));
        }
    }

    private static Optional<BigDecimal> checkQuantity(Map<String, String> annotations, List<String> problems,
            boolean memory, String key, String value, boolean mustBePositive) {
        if (!annotations.containsKey(key)) {
            return Quantities.amount(value);
        }
        Optional<BigDecimal> amount = Quantities.amount(value);
        if (amount.isEmpty()) {
            problems.add(describe(key, value, "is not a valid Kubernetes quantity (examples: 100m, 0.5, 128Mi, 1Gi)"));
        } else if (memory && Quantities.isMilliMemory(value)) {
            problems.add(describe(key, value, "means milli-bytes; use Mi or M for mebibytes or megabytes"));
            return Optional.empty();
        } else if (mustBePositive && amount.get().signum() == 0) {
            problems.add(describe(key, value, "must be greater than zero"));
            return Optional.empty();
        }
        return amount;
    }

    private static String describe(String key, String value, String problem) {
        // Annotation values are user input that ends up in logs: no control characters, bounded length.
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        String shown = printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
        return "annotation %s: \"%s\" %s".formatted(key, shown, problem);
    }
}
