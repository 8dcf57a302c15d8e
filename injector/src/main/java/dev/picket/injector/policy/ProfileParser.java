package dev.picket.injector.policy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Reads a WorkloadProfile (as the API server returns it, a JSON tree) into an {@link AdmissionProfile}. It checks
 * only what the injector uses, as strictly as the sidecar does: an unknown field or a pattern that could never match
 * makes the profile unusable, and the pods it governs then follow the injector's failure mode, the same way their
 * sidecars refuse it. The CRD's schema already refuses most of this at admission.
 */
public final class ProfileParser {

    /** The same pattern as the CRD ({@code WorkloadProfileSchema.REPOSITORY_PATTERN} in the sidecar). */
    private static final Pattern REPOSITORY = Pattern.compile("^[a-z0-9*?][a-z0-9.*?-]*(:[0-9*?]+)?(/[a-z0-9._*?-]+)*$");
    private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9_*?][A-Za-z0-9_.*?-]{0,127}$");
    private static final Set<String> IMAGES_FIELDS = Set.of("allow", "requireDigest", "denyTags");
    private static final Set<String> ALLOW_FIELDS = Set.of("repositories", "action");
    private static final Set<String> DIGEST_FIELDS = Set.of("action");
    private static final Set<String> TAGS_FIELDS = Set.of("tags", "action");
    private static final int MAX_REPOSITORIES = 256;
    private static final int MAX_TAGS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProfileParser() {
    }

    public static AdmissionProfile parse(JsonNode resource) {
        JsonNode meta = resource.path("metadata");
        String namespace = meta.path("namespace").asText("");
        String name = meta.path("name").asText("");
        List<String> problems = new ArrayList<>();
        JsonNode spec = resource.path("spec");
        Optional<LabelSelector> selector = Optional.empty();
        JsonNode selectorNode = spec.get("selector");
        if (selectorNode != null && !selectorNode.isNull()) {
            try {
                selector = Optional.of(JSON.treeToValue(selectorNode, LabelSelector.class));
            } catch (java.io.IOException | IllegalArgumentException e) {
                problems.add("spec.selector: not a label selector");
            }
        }
        ImagePolicy images = images(spec.get("images"), problems);
        boolean enforce = false;
        JsonNode mode = spec.get("podSecurity");
        if (mode != null && !mode.isNull()) {
            String value = mode.isTextual() ? mode.textValue() : null;
            if ("enforce".equals(value)) {
                enforce = true;
            } else if (!"warn".equals(value)) {
                problems.add("spec.podSecurity: must be warn or enforce");
            }
        }
        return new AdmissionProfile(namespace, name, created(meta.path("creationTimestamp").asText(null)), selector,
                images, enforce, problems);
    }

    private static Optional<Instant> created(String timestamp) {
        try {
            return timestamp == null ? Optional.empty() : Optional.of(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static ImagePolicy images(JsonNode node, List<String> problems) {
        if (node == null || node.isNull()) {
            return ImagePolicy.NONE;
        }
        if (!fields(node, "spec.images", IMAGES_FIELDS, problems)) {
            return ImagePolicy.NONE;
        }
        Optional<ImagePolicy.Rule> allow = Optional.empty();
        JsonNode a = node.get("allow");
        if (a != null && !a.isNull() && fields(a, "spec.images.allow", ALLOW_FIELDS, problems)) {
            List<String> repositories = strings(a.get("repositories"), "spec.images.allow.repositories", MAX_REPOSITORIES,
                    problems);
            for (int i = 0; i < repositories.size(); i++) {
                if (!repositoryPattern(repositories.get(i))) {
                    problems.add("spec.images.allow.repositories[" + i + "]: \"" + Messages.printable(repositories.get(i), 100)
                            + "\" is not a repository pattern (registry host first, no tag or digest)");
                }
            }
            allow = Optional.of(new ImagePolicy.Rule(repositories, action(a, "spec.images.allow", problems)));
        }
        Optional<PolicyAction> digest = Optional.empty();
        JsonNode d = node.get("requireDigest");
        if (d != null && !d.isNull() && fields(d, "spec.images.requireDigest", DIGEST_FIELDS, problems)) {
            digest = Optional.of(action(d, "spec.images.requireDigest", problems));
        }
        Optional<ImagePolicy.Rule> tags = Optional.empty();
        JsonNode t = node.get("denyTags");
        if (t != null && !t.isNull() && fields(t, "spec.images.denyTags", TAGS_FIELDS, problems)) {
            List<String> denied = strings(t.get("tags"), "spec.images.denyTags.tags", MAX_TAGS, problems);
            for (int i = 0; i < denied.size(); i++) {
                if (!TAG.matcher(denied.get(i)).matches()) {
                    problems.add("spec.images.denyTags.tags[" + i + "]: \"" + Messages.printable(denied.get(i), 100)
                            + "\" is not a tag");
                }
            }
            tags = Optional.of(new ImagePolicy.Rule(denied, action(t, "spec.images.denyTags", problems)));
        }
        return new ImagePolicy(allow, digest, tags);
    }

    /** The checks of the sidecar's validator: the CRD pattern, no {@code ***}, a registry host or wildcard first. */
    static boolean repositoryPattern(String p) {
        if (p.length() > 512 || p.contains("***") || !REPOSITORY.matcher(p).matches()) {
            return false;
        }
        int slash = p.indexOf('/');
        String first = slash < 0 ? p : p.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") || first.contains("*")
                || first.contains("?");
    }

    private static boolean fields(JsonNode node, String path, Set<String> known, List<String> problems) {
        if (!node.isObject()) {
            problems.add(path + ": must be a mapping");
            return false;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add(path + "." + Messages.printable(name, 63) + ": unknown field");
            }
        }
        return true;
    }

    private static List<String> strings(JsonNode node, String path, int max, List<String> problems) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            problems.add(path + ": must be a non-empty list");
            return List.of();
        }
        if (node.size() > max) {
            problems.add(path + ": has more than " + max + " entries");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : node) {
            if (!e.isTextual()) {
                problems.add(path + ": every entry must be a string");
                return List.of();
            }
            out.add(e.textValue());
        }
        return out;
    }

    private static PolicyAction action(JsonNode rule, String path, List<String> problems) {
        JsonNode a = rule.get("action");
        if (a == null || a.isNull()) {
            return PolicyAction.WARN;
        }
        Optional<PolicyAction> action = a.isTextual() ? PolicyAction.parse(a.textValue()) : Optional.empty();
        if (action.isEmpty()) {
            problems.add(path + ".action: must be deny or warn");
        }
        return action.orElse(PolicyAction.WARN);
    }
}
