package dev.picket.injector.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** What the injector reads of a WorkloadProfile, and what makes it unusable. */
class ProfileParserTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static AdmissionProfile parse(String spec) throws Exception {
        JsonNode node = YAML.readTree("""
                apiVersion: picket.dev/v1alpha1
                kind: WorkloadProfile
                metadata: {name: web, namespace: shop, creationTimestamp: "2024-05-01T10:00:00Z"}
                spec:
                """ + spec.indent(2));
        return ProfileParser.parse(node);
    }

    @Test
    void readsTheAdmissionRulesWithWarnAsTheDefaultAction() throws Exception {
        AdmissionProfile p = parse("""
                selector: {matchLabels: {app: web}}
                mode: enforce
                processes: {allow: [{exe: /app}]}
                images:
                  allow: {repositories: ["registry.example.com/**"], action: deny}
                  requireDigest: {}
                  denyTags: {tags: [latest]}
                podSecurity: enforce
                """);
        assertEquals(List.of(), p.problems());
        assertEquals("web", p.name());
        assertEquals("shop", p.namespace());
        assertEquals("2024-05-01T10:00:00Z", p.created().orElseThrow().toString());
        assertEquals("web", p.selector().orElseThrow().getMatchLabels().get("app"));
        assertEquals(true, p.enforce());
        assertEquals(new ImagePolicy(
                Optional.of(new ImagePolicy.Rule(List.of("registry.example.com/**"), PolicyAction.DENY)),
                Optional.of(PolicyAction.WARN),
                Optional.of(new ImagePolicy.Rule(List.of("latest"), PolicyAction.WARN))), p.images());
        AdmissionProfile bare = parse("mode: learn");
        assertEquals(ImagePolicy.NONE, bare.images());
        assertEquals(false, bare.enforce());
        assertEquals(Optional.empty(), bare.selector());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            'images: {allow: {repositories: [nginx]}}'                | spec.images.allow.repositories[0]: "nginx" is not a repository pattern (registry host first, no tag or digest)
            'images: {allow: {repositories: ["docker.io/x:1"]}}'      | spec.images.allow.repositories[0]: "docker.io/x:1" is not a repository pattern (registry host first, no tag or digest)
            'images: {allow: {repositories: ["r.io/***"]}}'           | spec.images.allow.repositories[0]: "r.io/***" is not a repository pattern (registry host first, no tag or digest)
            'images: {allow: {repositories: []}}'                     | spec.images.allow.repositories: must be a non-empty list
            'images: {allow: {action: deny}}'                         | spec.images.allow.repositories: must be a non-empty list
            'images: {allow: {repositories: [r.io/a], action: kill}}' | spec.images.allow.action: must be deny or warn
            'images: {requireDigest: true}'                           | spec.images.requireDigest: must be a mapping
            'images: {denyTags: {tags: ["-x"]}}'                      | spec.images.denyTags.tags[0]: "-x" is not a tag
            'images: {deny: [latest]}'                                | spec.images.deny: unknown field
            'podSecurity: strict'                                     | spec.podSecurity: must be warn or enforce
            'podSecurity: true'                                       | spec.podSecurity: must be warn or enforce
            'selector: [app]'                                         | spec.selector: not a label selector
            """)
    void refusesWhatTheSidecarRefuses(String spec, String problem) throws Exception {
        assertEquals(List.of(problem), parse(spec).problems());
    }
}
