package dev.picket.injector.install;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

/**
 * Validates an object against a CustomResourceDefinition the way the API server does on create, in its
 * order: defaults from the schema are filled in, then the structural schema is checked (types, required
 * fields, enums, patterns, lengths, ranges, list and map sizes; an unknown field is an error, as with
 * kubectl's default strict field validation), then every {@code x-kubernetes-validations} CEL rule is
 * evaluated with {@code self} bound to its node.
 *
 * <p>What differs from the API server: {@code self} is a dynamic value rather than one typed by the schema
 * (the rules of this project's CRDs need no more), CEL's cost limits are not estimated, transition rules
 * ({@code oldSelf}) do not apply to a create and are skipped, and {@code pattern} uses Java's regular
 * expressions where the API server uses Go's RE2 (the same for the anchored classes our CRDs use).
 */
final class CrdSchema implements Shape {

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setOptions(CelOptions.current().build())
            .addVar("self", SimpleType.DYN)
            .build();

    /** One CEL rule of the schema, compiled, with the schema path where it sits. */
    record Rule(String path, String rule, String message, String fieldPath, String reason, CelRuntime.Program program) {
    }

    private final String apiVersion;
    private final String kind;
    private final boolean namespaced;
    private final JsonNode schema;
    /** The rules written on each schema node, by identity of the node in {@link #schema}. */
    private final Map<JsonNode, List<Rule>> rulesByNode = new IdentityHashMap<>();
    private final List<Rule> rules = new ArrayList<>();

    private CrdSchema(String apiVersion, String kind, boolean namespaced, JsonNode schema) {
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.namespaced = namespaced;
        this.schema = schema;
        compileRules(schema, "");
    }

    /** The schema of {@code version} of the CRD in {@code file} (a CRD file of manifests/). */
    static CrdSchema load(Path file, String version) {
        List<JsonNode> docs = StrictParser.documents(ManifestTree.read(file));
        if (docs.size() != 1 || !"CustomResourceDefinition".equals(docs.get(0).path("kind").asText())) {
            throw new AssertionError(file + " must hold exactly one CustomResourceDefinition");
        }
        JsonNode spec = docs.get(0).path("spec");
        for (JsonNode v : spec.path("versions")) {
            if (version.equals(v.path("name").asText())) {
                return new CrdSchema(spec.path("group").asText() + "/" + version, spec.path("names").path("kind").asText(),
                        "Namespaced".equals(spec.path("scope").asText()), v.path("schema").path("openAPIV3Schema"));
            }
        }
        throw new AssertionError(file + " has no version " + version);
    }

    /** Every CEL rule of the schema, each compiled (a rule that does not compile fails the load). */
    List<Rule> rules() {
        return List.copyOf(rules);
    }

    private void compileRules(JsonNode node, String path) {
        for (JsonNode v : node.path("x-kubernetes-validations")) {
            String rule = v.path("rule").asText();
            if (rule.contains("oldSelf")) {
                continue; // a transition rule: not evaluated on create
            }
            CelRuntime.Program program;
            try {
                program = CEL.createProgram(CEL.compile(rule).getAst());
            } catch (CelValidationException | CelEvaluationException e) {
                throw new AssertionError("x-kubernetes-validations at " + (path.isEmpty() ? "." : path) + " does not compile: "
                        + rule + ": " + e.getMessage(), e);
            }
            Rule compiled = new Rule(path.isEmpty() ? "." : path, rule, v.path("message").asText(rule),
                    v.path("fieldPath").asText(""), v.path("reason").asText("FieldValueInvalid"), program);
            rules.add(compiled);
            rulesByNode.computeIfAbsent(node, n -> new ArrayList<>()).add(compiled);
        }
        node.path("properties").properties().forEach(e -> compileRules(e.getValue(), path + "." + e.getKey()));
        if (node.path("additionalProperties").isObject()) {
            compileRules(node.path("additionalProperties"), path + ".*");
        }
        if (node.has("items")) {
            compileRules(node.path("items"), path + "[*]");
        }
    }

    @Override
    public void check(JsonNode object, String path, List<String> problems) {
        if (!apiVersion.equals(object.path("apiVersion").asText()) || !kind.equals(object.path("kind").asText())) {
            problems.add(path + ": expected apiVersion " + apiVersion + " and kind " + kind);
        }
        if (!object.has("metadata")) {
            problems.add(path + ".metadata: required");
        } else {
            CustomResourceShapes.metadata(namespaced).check(object.path("metadata"), path + ".metadata", problems);
        }
        ObjectNode body = object.deepCopy();
        body.remove(List.of("apiVersion", "kind", "metadata"));
        ObjectNode schemaBody = schema.deepCopy();
        if (schemaBody.path("properties").isObject()) {
            ((ObjectNode) schemaBody.path("properties")).remove(List.of("apiVersion", "kind", "metadata"));
        }
        JsonNode defaulted = withDefaults(body, schemaBody);
        List<String> structural = new ArrayList<>();
        validate(defaulted, schema, path, structural);
        problems.addAll(structural);
        if (structural.isEmpty()) {
            evaluateRules(defaulted, schema, path, problems);
        }
    }

    /** The API server fills in defaults before it validates: absent properties with a default get it. */
    private static JsonNode withDefaults(JsonNode value, JsonNode schema) {
        if (value.isObject()) {
            ObjectNode copy = (ObjectNode) value.deepCopy();
            schema.path("properties").properties().forEach(e -> {
                if (!copy.has(e.getKey()) && e.getValue().has("default")) {
                    copy.set(e.getKey(), e.getValue().get("default").deepCopy());
                } else if (copy.has(e.getKey())) {
                    copy.set(e.getKey(), withDefaults(copy.get(e.getKey()), e.getValue()));
                }
            });
            if (schema.path("additionalProperties").isObject()) {
                copy.properties().forEach(e -> e.setValue(withDefaults(e.getValue(), schema.path("additionalProperties"))));
            }
            return copy;
        }
        if (value.isArray() && schema.has("items")) {
            var copy = JsonTrees.JSON.createArrayNode();
            value.forEach(item -> copy.add(withDefaults(item, schema.path("items"))));
            return copy;
        }
        return value;
    }

    private void validate(JsonNode value, JsonNode s, String path, List<String> problems) {
        String where = path.isEmpty() ? "." : path;
        if (value.isNull()) {
            if (!s.path("nullable").asBoolean(false)) {
                problems.add(where + ": null is not allowed");
            }
            return;
        }
        if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                problems.add(where + ": expected an integer or a string, got " + describe(value));
                return;
            }
        } else if (s.has("type") && !hasType(value, s.path("type").asText())) {
            problems.add(where + ": expected " + s.path("type").asText() + ", got " + describe(value));
            return;
        }
        if (s.has("anyOf")) {
            boolean any = false;
            for (JsonNode branch : s.path("anyOf")) {
                List<String> branchProblems = new ArrayList<>();
                validate(value, branch, path, branchProblems);
                any |= branchProblems.isEmpty();
            }
            if (!any) {
                problems.add(where + ": matches none of " + s.path("anyOf"));
            }
        }
        if (s.has("enum")) {
            boolean found = false;
            for (JsonNode allowed : s.path("enum")) {
                found |= allowed.equals(value);
            }
            if (!found) {
                problems.add(where + ": Unsupported value " + value + ": supported values: " + s.path("enum"));
            }
        }
        if (value.isTextual()) {
            String text = value.asText();
            int length = text.codePointCount(0, text.length());
            if (s.has("maxLength") && length > s.path("maxLength").asInt()) {
                problems.add(where + ": Too long: may not be longer than " + s.path("maxLength").asInt());
            }
            if (s.has("minLength") && length < s.path("minLength").asInt()) {
                problems.add(where + ": Invalid value: should be at least " + s.path("minLength").asInt() + " chars long");
            }
            if (s.has("pattern") && !Pattern.compile(s.path("pattern").asText()).matcher(text).find()) {
                problems.add(where + ": Invalid value " + value + ": should match '" + s.path("pattern").asText() + "'");
            }
        }
        if (value.isNumber()) {
            double n = value.asDouble();
            if (s.has("minimum")) {
                double min = s.path("minimum").asDouble();
                boolean exclusive = s.path("exclusiveMinimum").asBoolean(false);
                if (exclusive ? n <= min : n < min) {
                    problems.add(where + ": Invalid value " + value + ": should be greater than " + (exclusive ? "" : "or equal to ") + min);
                }
            }
            if (s.has("maximum")) {
                double max = s.path("maximum").asDouble();
                boolean exclusive = s.path("exclusiveMaximum").asBoolean(false);
                if (exclusive ? n >= max : n > max) {
                    problems.add(where + ": Invalid value " + value + ": should be less than " + (exclusive ? "" : "or equal to ") + max);
                }
            }
        }
        if (value.isArray()) {
            if (s.has("maxItems") && value.size() > s.path("maxItems").asInt()) {
                problems.add(where + ": Too many: " + value.size() + ": must have at most " + s.path("maxItems").asInt() + " items");
            }
            if (s.has("minItems") && value.size() < s.path("minItems").asInt()) {
                problems.add(where + ": Too few: must have at least " + s.path("minItems").asInt() + " items");
            }
            for (int i = 0; i < value.size(); i++) {
                validate(value.get(i), s.path("items"), path + "[" + i + "]", problems);
            }
        }
        if (value.isObject()) {
            if (s.has("maxProperties") && value.size() > s.path("maxProperties").asInt()) {
                problems.add(where + ": Too many: " + value.size() + ": must have at most " + s.path("maxProperties").asInt() + " properties");
            }
            for (JsonNode required : s.path("required")) {
                if (!value.has(required.asText())) {
                    problems.add(path + "." + required.asText() + ": Required value");
                }
            }
            boolean preserveUnknown = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (s.path("properties").has(e.getKey())) {
                    validate(e.getValue(), s.path("properties").path(e.getKey()), path + "." + e.getKey(), problems);
                } else if (s.path("additionalProperties").isObject()) {
                    validate(e.getValue(), s.path("additionalProperties"), path + "." + e.getKey(), problems);
                } else if (!preserveUnknown) {
                    List<String> known = new ArrayList<>();
                    s.path("properties").fieldNames().forEachRemaining(known::add);
                    problems.add(path + "." + e.getKey() + ": unknown field (known: " + known + ")");
                }
            }
        }
    }

    private void evaluateRules(JsonNode value, JsonNode s, String path, List<String> problems) {
        if (value.isNull()) {
            return;
        }
        for (Rule rule : rulesByNode.getOrDefault(s, List.of())) {
            try {
                Object result = rule.program().eval(Map.of("self", JsonTrees.toCel(value)));
                if (!Boolean.TRUE.equals(result)) {
                    problems.add((path.isEmpty() ? "." : path) + rule.fieldPath() + ": " + rule.reason() + ": "
                            + rule.message() + " (rule: " + rule.rule() + ")");
                }
            } catch (CelEvaluationException e) {
                problems.add((path.isEmpty() ? "." : path) + ": rule " + rule.rule() + " failed to evaluate: " + e.getMessage());
            }
        }
        if (value.isObject()) {
            value.properties().forEach(e -> {
                JsonNode child = s.path("properties").has(e.getKey()) ? s.path("properties").path(e.getKey())
                        : s.path("additionalProperties");
                if (child.isObject()) {
                    evaluateRules(e.getValue(), child, path + "." + e.getKey(), problems);
                }
            });
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                evaluateRules(value.get(i), s.path("items"), path + "[" + i + "]", problems);
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> throw new AssertionError("schema type " + type + " is not a structural schema type");
        };
    }

    private static String describe(JsonNode value) {
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + value;
    }
}
