package dev.picket.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code spec.threats.exceptions} in the checked-in CRD (CrdFileTest keeps it equal to the generated one): required
 * fields, bounded lists and strings, and patterns that refuse at admission what the sidecar refuses.
 */
class ThreatExceptionsCrdTest {

    private static JsonNode item() throws IOException {
        JsonNode crd = new ObjectMapper(new YAMLFactory())
                .readTree(Files.readAllBytes(Path.of("manifests/crd/workloadprofiles.picket.dev-v1.yml")));
        JsonNode exceptions = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/threats"
                + "/properties/exceptions");
        assertEquals(ProfileLimits.MAX_THREAT_EXCEPTIONS, exceptions.at("/maxItems").asInt());
        return exceptions.at("/items");
    }

    @Test
    void theSchemaRequiresRuleAndReasonAndBoundsEveryField() throws IOException {
        JsonNode item = item();
        assertEquals("[\"reason\",\"rule\"]", item.at("/required").toString());
        JsonNode p = item.at("/properties");
        List<String> fields = new ArrayList<>();
        p.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("cidr", "exe", "parent", "ports", "reason", "rule"), fields);
        assertEquals(WorkloadProfileSchema.THREAT_ID, p.at("/rule/pattern").asText());
        assertEquals(WorkloadProfileSchema.GLOB_START, p.at("/exe/pattern").asText());
        assertEquals(WorkloadProfileSchema.GLOB_START, p.at("/parent/pattern").asText());
        assertEquals(ProfileLimits.MAX_GLOB_LENGTH, p.at("/exe/maxLength").asInt());
        assertEquals(1, p.at("/ports/minItems").asInt());
        assertEquals(ProfileLimits.MAX_PORTS_PER_RULE, p.at("/ports/maxItems").asInt());
        assertEquals(65535, p.at("/ports/items/maximum").asInt());
        assertEquals(ProfileLimits.MAX_EXCEPTION_REASON_LENGTH, p.at("/reason/maxLength").asInt());
        assertEquals(WorkloadProfileSchema.REASON, p.at("/reason/pattern").asText());
    }

    @Test
    void theReasonPatternRefusesWhatTheValidatorRefuses() {
        Pattern reason = Pattern.compile(WorkloadProfileSchema.REASON);
        for (String ok : List.of("the tests drive the Selenium Grid hub", "é ü 😀", "a: b # c", "x")) {
            assertTrue(reason.matcher(ok).matches(), ok);
            assertTrue(ProfileReader.read(Docs.withSpec("threats: {exceptions: [{rule: mining-pool, ports: [4444],"
                    + " reason: \"" + ok + "\"}]}")).isValid(), ok);
        }
        for (String bad : List.of("", "two\nlines", "tab\there", "bell\u0007", "del\u007f")) {
            assertFalse(reason.matcher(bad).matches(), bad);
        }
        // what only the sidecar refuses (it says why): a blank reason, invisible formatting characters
        assertTrue(reason.matcher("   ").matches());
        assertTrue(reason.matcher("override\u202e").matches());
    }
}
