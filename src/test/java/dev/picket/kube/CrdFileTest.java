package dev.picket.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.picket.profile.ThreatRule;
import dev.picket.profile.WorkloadProfileSchema;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRD checked in under {@code manifests/crd/} is the one the build generates from the Java model
 * ({@code crd-generator-maven-plugin}, into {@code META-INF/fabric8/} on the class path). When this fails after
 * a model change, copy the generated file over the checked-in one (docs/kubernetes.md, "Regenerating the CRD").
 */
class CrdFileTest {

    static final String NAME = "workloadprofiles.picket.dev-v1.yml";
    static final Path CHECKED_IN = Path.of("manifests/crd", NAME);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static JsonNode generated() throws IOException {
        try (InputStream in = CrdFileTest.class.getClassLoader().getResourceAsStream("META-INF/fabric8/" + NAME)) {
            assertThat(in).as("the build generates META-INF/fabric8/" + NAME).isNotNull();
            return YAML.readTree(in);
        }
    }

    @Test
    void theCheckedInCrdEqualsTheGeneratedOne() throws IOException {
        JsonNode checkedIn = YAML.readTree(Files.readAllBytes(CHECKED_IN));
        assertThat(checkedIn)
                .as("%s is stale: regenerate it with ./mvnw process-classes and copy target/classes/META-INF/fabric8/%s",
                        CHECKED_IN, NAME)
                .isEqualTo(generated());
    }

    @Test
    void hasTheShapeTheIssueAsksFor() throws IOException {
        JsonNode crd = generated();
        assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo("wp");
        assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
        JsonNode version = crd.at("/spec/versions/0");
        assertThat(version.at("/name").asText()).isEqualTo("v1alpha1");
        assertThat(version.at("/subresources/status").isObject()).isTrue();
        List<String> columns = new ArrayList<>();
        version.at("/additionalPrinterColumns").forEach(c -> columns.add(c.at("/name").asText() + "=" + c.at("/jsonPath").asText()));
        assertThat(columns).contains("Mode=.spec.mode", "Pods=.status.podCount", "Violations=.status.violationsTotal",
                "Age=.metadata.creationTimestamp");
        JsonNode spec = version.at("/schema/openAPIV3Schema/properties/spec/properties");
        assertThat(spec.at("/mode/default").asText()).isEqualTo("monitor");
        assertThat(spec.at("/learn/x-kubernetes-validations/0/rule").asText()).contains("self.then != 'learn'");
        assertThat(spec.at("/selector/properties/matchExpressions/items/x-kubernetes-validations/0/rule").asText())
                .contains("size(self.values)");
        assertThat(spec.at("/network/properties/egress/items/required").toString()).contains("cidr");
        assertThat(spec.at("/network/properties/listen/items/properties/port/maximum").asInt()).isEqualTo(65535);
    }

    @Test
    void everyListIsBoundedSoTheApiServerCanCostItsRules() throws IOException {
        List<String> unbounded = new ArrayList<>();
        walk(generated().at("/spec/versions/0/schema/openAPIV3Schema/properties/spec"), "spec", unbounded);
        assertThat(unbounded).isEmpty();
    }

    private static void walk(JsonNode schema, String path, List<String> unbounded) {
        if ("array".equals(schema.path("type").asText()) && !schema.has("maxItems")) {
            unbounded.add(path);
        }
        schema.path("properties").properties().forEach(e -> walk(e.getValue(), path + "." + e.getKey(), unbounded));
        if (schema.has("items")) {
            walk(schema.get("items"), path + "[]", unbounded);
        }
    }

    @Test
    void theThreatIdPatternNamesExactlyTheBuiltInRules() {
        Pattern p = Pattern.compile(WorkloadProfileSchema.THREAT_ID);
        Stream.of(ThreatRule.values()).forEach(r -> assertThat(p.matcher(r.id()).matches()).as(r.id()).isTrue());
        String alternatives = WorkloadProfileSchema.THREAT_ID.replaceAll("[()^$]", "");
        assertThat(alternatives.split("\\|")).hasSize(ThreatRule.values().length);
    }

    @Test
    void theDurationPatternAcceptsWhatTheValidatorAccepts() {
        Pattern p = Pattern.compile(WorkloadProfileSchema.DURATION);
        for (String ok : List.of("0", "30s", "10m", "1h30m", "1.5h", "250ms", "2µs", "5us", ".5h")) {
            assertThat(p.matcher(ok).matches()).as(ok).isTrue();
        }
        for (String bad : List.of("600", "1d", "-5s", "PT10M", "", "5 s")) {
            assertThat(p.matcher(bad).matches()).as(bad).isFalse();
        }
    }
}
