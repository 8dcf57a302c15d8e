package dev.picket.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code spec.images} and {@code spec.podSecurity} in the checked-in CRD (CrdFileTest keeps it equal to the generated
 * one): enums, defaults, required and bounded lists, and patterns that refuse at admission what the sidecar refuses.
 */
class AdmissionRulesCrdTest {

    private static JsonNode spec() throws IOException {
        JsonNode crd = new ObjectMapper(new YAMLFactory())
                .readTree(Files.readAllBytes(Path.of("manifests/crd/workloadprofiles.picket.dev-v1.yml")));
        return crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties");
    }

    @Test
    void theSchemaHasTheImageRulesAndThePodSecurityMode() throws IOException {
        JsonNode spec = spec();
        assertEquals("warn", spec.at("/podSecurity/default").asText());
        assertEquals("[\"enforce\",\"warn\"]", spec.at("/podSecurity/enum").toString());
        JsonNode images = spec.at("/images/properties");
        assertEquals("[\"repositories\"]", images.at("/allow/required").toString());
        assertEquals(1, images.at("/allow/properties/repositories/minItems").asInt());
        assertEquals(ProfileLimits.MAX_IMAGE_REPOSITORIES, images.at("/allow/properties/repositories/maxItems").asInt());
        assertEquals(WorkloadProfileSchema.REPOSITORY_PATTERN,
                images.at("/allow/properties/repositories/items/pattern").asText());
        for (String rule : List.of("/allow", "/requireDigest", "/denyTags")) {
            assertEquals("warn", images.at(rule + "/properties/action/default").asText(), rule);
            assertEquals("[\"deny\",\"warn\"]", images.at(rule + "/properties/action/enum").toString(), rule);
        }
        assertEquals("[\"tags\"]", images.at("/denyTags/required").toString());
        assertEquals(ProfileLimits.MAX_DENY_TAGS, images.at("/denyTags/properties/tags/maxItems").asInt());
        assertEquals(WorkloadProfileSchema.TAG_PATTERN, images.at("/denyTags/properties/tags/items/pattern").asText());
    }

    @Test
    void theSchemaPatternsAgreeWithTheValidator() {
        Pattern repository = Pattern.compile(WorkloadProfileSchema.REPOSITORY_PATTERN);
        for (String ok : List.of("registry.example.com/team/*", "docker.io/library/nginx", "**", "*/library/*",
                "localhost:5000/app", "registry.example.com:5000/a/b_c/d-e", "ghcr.io/picket-dev/**")) {
            assertTrue(repository.matcher(ok).matches(), ok);
            assertTrue(ImagePatterns.repositoryProblem(ok).isEmpty(), ok);
        }
        for (String bad : List.of("Docker.io/x", "docker.io/x:1", "docker.io//x", "docker.io/x/", "/x", "docker.io/x@sha256:1")) {
            assertFalse(repository.matcher(bad).matches(), bad);
            assertTrue(ImagePatterns.repositoryProblem(bad).isPresent(), bad);
        }
        // Patterns the schema lets through and only the sidecar refuses (it explains why).
        assertTrue(repository.matcher("nginx").matches());
        assertTrue(ImagePatterns.repositoryProblem("nginx").isPresent());
    }
}
