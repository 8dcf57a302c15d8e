package dev.picket.injector.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;

/**
 * The demo's WorkloadProfile against the CRD the install creates, checked as the API server would on
 * create: the structural schema (types, required fields, enums, patterns, ranges, list sizes, unknown
 * fields) and the CRD's CEL rules. Deliberately broken variants of the demo profile are each refused with
 * the field path and the reason, and every CEL rule of the CRD is exercised allowing and refusing.
 */
class WorkloadProfileCrdTest {

    private static final Path CRD_FILE = ManifestTree.ROOT.resolve("crd/workloadprofiles.picket.dev-v1.yml");
    private static final Path DEMO_PROFILE = ManifestTree.ROOT.resolve("examples/demo/workloadprofile.yaml");
    private static final CrdSchema SCHEMA = CrdSchema.load(CRD_FILE, "v1alpha1");

    private static ObjectNode demo() {
        List<JsonNode> docs = StrictParser.documents(ManifestTree.read(DEMO_PROFILE));
        assertEquals(1, docs.size());
        return (ObjectNode) docs.get(0);
    }

    /** The demo profile with the YAML {@code value} at {@code pointer} (parents created), or removed for null. */
    private static ObjectNode demoWith(String pointer, String value) {
        ObjectNode profile = demo();
        int cut = pointer.lastIndexOf('/');
        String parentPointer = pointer.substring(0, cut);
        String field = pointer.substring(cut + 1);
        JsonNode parent = profile;
        for (String step : parentPointer.substring(1).split("/")) {
            if (parent.isArray()) {
                parent = parent.get(Integer.parseInt(step));
            } else {
                parent = parent.has(step) ? parent.get(step) : ((ObjectNode) parent).putObject(step);
            }
        }
        if (parent.isArray()) {
            ((ArrayNode) parent).set(Integer.parseInt(field), StrictParser.documents("v: " + value).get(0).get("v"));
        } else if (value == null) {
            ((ObjectNode) parent).remove(field);
        } else {
            ((ObjectNode) parent).set(field, StrictParser.documents("v: " + value).get(0).get("v"));
        }
        return profile;
    }

    @Test
    void theBaseInstallsTheCrdThatServesTheDemoProfile() {
        List<HasMetadata> install = ManifestTree.install();
        CustomResourceDefinition crd = ManifestTree.one(install, CustomResourceDefinition.class, "workloadprofiles.picket.dev");
        JsonNode profile = demo();
        String[] apiVersion = profile.path("apiVersion").asText().split("/");
        assertEquals(crd.getSpec().getGroup(), apiVersion[0]);
        assertEquals(crd.getSpec().getNames().getKind(), profile.path("kind").asText());
        assertTrue(crd.getSpec().getVersions().stream().anyMatch(v -> v.getName().equals(apiVersion[1]) && v.getServed()
                && v.getStorage()), "the demo's version " + apiVersion[1] + " must be the CRD's served storage version");
    }

    @Test
    void theDemoProfileIsValidUnderTheCrdSchemaAndItsCelRules() {
        assertEquals(List.of(), SCHEMA.problems(demo()));
    }

    /** Valid variants that take every CEL rule's allowing branch. */
    @TestFactory
    Stream<DynamicTest> validVariantsOfTheDemoProfilePass() {
        return Stream.of(
                new Case("learning, then enforcing", "/spec/learn", "{duration: 10m, then: enforce}", null),
                new Case("learning without an end", "/spec/learn", "{duration: 1h30m}", null),
                new Case("a selector with In and its values", "/spec/selector",
                        "{matchExpressions: [{key: tier, operator: In, values: [web]}]}", null),
                new Case("a selector with Exists and no values", "/spec/selector",
                        "{matchExpressions: [{key: tier, operator: Exists}]}", null),
                new Case("memory as a number of bytes", "/spec/resources/memory", "134217728", null))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> assertEquals(List.of(), SCHEMA.problems(c.profile()))));
    }

    record Case(String name, String pointer, String value, String expected) {
        ObjectNode profile() {
            return demoWith(pointer, value);
        }
    }

    /** Each broken profile, with the one problem the API server would report (path and reason). */
    static final List<Case> BROKEN = List.of(
            // CEL rules
            new Case("learning cannot switch to learning", "/spec/learn", "{duration: 10m, then: learn}",
                    ".spec.learn.then: FieldValueInvalid: must be monitor or enforce"),
            new Case("In without values", "/spec/selector", "{matchExpressions: [{key: tier, operator: In}]}",
                    ".spec.selector.matchExpressions[0].values: FieldValueInvalid: values must not be empty for In and NotIn"),
            new Case("NotIn with an empty list", "/spec/selector", "{matchExpressions: [{key: tier, operator: NotIn, values: []}]}",
                    ".spec.selector.matchExpressions[0].values: FieldValueInvalid: values must not be empty for In and NotIn"),
            new Case("Exists with values", "/spec/selector", "{matchExpressions: [{key: tier, operator: Exists, values: [web]}]}",
                    ".spec.selector.matchExpressions[0].values: FieldValueInvalid: values must not be empty for In and NotIn, and must be empty for Exists"),
            // enums
            new Case("an unknown mode", "/spec/mode", "audit", ".spec.mode: Unsupported value \"audit\""),
            new Case("an unknown action", "/spec/actions/process", "block", ".spec.actions.process: Unsupported value \"block\""),
            new Case("an unknown protocol", "/spec/network/listen/0", "{port: 8000, protocol: sctp}",
                    ".spec.network.listen[0].protocol: Unsupported value \"sctp\""),
            // patterns and lengths
            new Case("a host name as CIDR", "/spec/network/egress", "[{cidr: db.example.com, ports: [5432]}]",
                    ".spec.network.egress[0].cidr: Invalid value \"db.example.com\": should match"),
            new Case("a relative executable", "/spec/processes/allow/0", "{exe: python3}",
                    ".spec.processes.allow[0].exe: Invalid value \"python3\": should match '^[/*{]'"),
            new Case("an unknown threat rule", "/spec/threats/disable", "[crypto-miner]",
                    ".spec.threats.disable[0]: Invalid value \"crypto-miner\": should match"),
            new Case("a malformed duration", "/spec/resources/sustain", "ten seconds",
                    ".spec.resources.sustain: Invalid value \"ten seconds\": should match"),
            new Case("a label value too long", "/spec/selector", "{matchLabels: {tier: " + "x".repeat(64) + "}}",
                    ".spec.selector.matchLabels.tier: Too long: may not be longer than 63"),
            // ranges
            new Case("a port above 65535", "/spec/network/listen/0", "{port: 70000}",
                    ".spec.network.listen[0].port: Invalid value 70000: should be less than or equal to 65535"),
            new Case("zero CPU", "/spec/resources/cpuCores", "0", ".spec.resources.cpuCores: Invalid value 0: should be greater than 0"),
            new Case("zero processes", "/spec/resources/processes", "0",
                    ".spec.resources.processes: Invalid value 0: should be greater than or equal to 1"),
            // types
            new Case("processes as a string", "/spec/resources/processes", "\"2\"", ".spec.resources.processes: expected integer, got string"),
            new Case("memory as a boolean", "/spec/resources/memory", "true", ".spec.resources.memory: expected an integer or a string"),
            new Case("allowRoot as a string", "/spec/processes/allowRoot", "\"no\"", ".spec.processes.allowRoot: expected boolean"),
            // required, unknown, sizes
            new Case("an allow entry without exe", "/spec/processes/allow/0", "{parent: /usr/bin/dash}",
                    ".spec.processes.allow[0].exe: Required value"),
            new Case("a misspelt field", "/spec/processes/allowRoots", "true", ".spec.processes.allowRoots: unknown field"),
            new Case("257 listen ports", "/spec/network/listen",
                    "[" + java.util.stream.IntStream.rangeClosed(1, 257).mapToObj(p -> "{port: " + p + "}")
                            .collect(Collectors.joining(", ")) + "]",
                    ".spec.network.listen: Too many: 257: must have at most 256 items"));

    @TestFactory
    Stream<DynamicTest> brokenVariantsOfTheDemoProfileAreRefusedWithPathAndReason() {
        return BROKEN.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            List<String> problems = SCHEMA.problems(c.profile());
            assertEquals(1, problems.size(), "expected exactly one problem, got " + problems);
            assertTrue(problems.get(0).startsWith(c.expected()), "expected a problem starting with\n  " + c.expected()
                    + "\ngot\n  " + problems.get(0));
        }));
    }

    @Test
    void everyCelRuleOfTheCrdIsExercisedByABrokenProfile() {
        Set<String> rules = SCHEMA.rules().stream().map(CrdSchema.Rule::rule).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(rules.size() >= 2, "the CRD's CEL rules were not found: " + rules);
        Set<String> exercised = new TreeSet<>();
        for (Case c : BROKEN) {
            for (String problem : SCHEMA.problems(c.profile())) {
                rules.stream().filter(r -> problem.contains("(rule: " + r + ")")).forEach(exercised::add);
            }
        }
        List<String> missing = new ArrayList<>(rules);
        missing.removeAll(exercised);
        assertEquals(List.of(), missing, "CEL rules of the CRD that no broken profile makes fail");
    }
}
