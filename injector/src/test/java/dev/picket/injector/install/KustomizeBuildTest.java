package dev.picket.injector.install;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * What `kubectl kustomize` makes of the install, each overlay, each example and each test harness:
 * objects that parse strictly, carry the standard labels, and have no placeholder left in them.
 */
class KustomizeBuildTest {

    static final Map<String, String> COMMON_LABELS = Map.of(
            "app.kubernetes.io/part-of", "picket",
            "app.kubernetes.io/version", "0.1.0",
            "app.kubernetes.io/managed-by", "kustomize");
    static final List<String> PER_OBJECT_LABELS = List.of(
            "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component");

    @TestFactory
    Stream<DynamicTest> everyKustomizationBuildsIntoStrictlyParsedLabelledObjects() {
        return ManifestTree.buildable().stream().map(dir -> DynamicTest.dynamicTest(ManifestTree.relative(dir), () -> {
            Kubectl.require();
            String yaml = Kubectl.kustomize(dir);
            StrictParser.Parsed parsed = StrictParser.parse(yaml, ManifestTree.relative(dir) + " (built)");
            assertEquals(List.of(), parsed.problems());
            assertFalse(parsed.objects().isEmpty(), "built nothing");
            assertAll(
                    () -> assertEquals(List.of(), labelProblems(parsed.objects())),
                    () -> assertFalse(yaml.contains("SET-ME"), "a SET-ME placeholder was not replaced"),
                    () -> assertFalse(yaml.contains("192.0.2.1/32"), "the apiServerCIDR placeholder was not replaced"));
        }));
    }

    static List<String> labelProblems(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        for (HasMetadata object : objects) {
            String where = object.getKind() + " " + object.getMetadata().getName();
            checkLabels(where, object.getMetadata().getLabels(), problems);
            if (object instanceof Deployment deployment) {
                checkLabels(where + " pod template", deployment.getSpec().getTemplate().getMetadata().getLabels(), problems);
            }
        }
        return problems;
    }

    private static void checkLabels(String where, Map<String, String> labels, List<String> problems) {
        Map<String, String> have = labels == null ? Map.of() : labels;
        COMMON_LABELS.forEach((key, value) -> {
            if (!value.equals(have.get(key))) {
                problems.add(where + ": label " + key + " must be " + value + ", is " + have.get(key));
            }
        });
        for (String key : PER_OBJECT_LABELS) {
            if (have.getOrDefault(key, "").isBlank()) {
                problems.add(where + ": label " + key + " is missing");
            }
        }
    }

    @Test
    void theInstallCarriesTheStandardLabelsOnEveryObjectAndPodTemplate() {
        Kubectl.require();
        List<HasMetadata> objects = ManifestTree.built(ManifestTree.root());
        assertTrue(objects.size() >= 15, "the install built only " + objects.size() + " objects");
        assertEquals(List.of(), labelProblems(objects));
    }

    @Test
    void aPerNamespaceComponentWithoutPicketSettingsFailsTheBuild(@TempDir Path dir) throws IOException {
        Kubectl.require();
        for (String component : List.of("namespace-binding", "quarantine-networkpolicy")) {
            Path user = Files.createDirectories(dir.resolve(component));
            Path target = ManifestTree.ROOT.resolve("components").resolve(component);
            Files.writeString(user.resolve("kustomization.yaml"), """
                    apiVersion: kustomize.config.k8s.io/v1beta1
                    kind: Kustomization
                    namespace: shop
                    components:
                      - %s
                    """.formatted(user.relativize(target)));
            Kubectl.Result result = Kubectl.tryKustomize(user);
            assertNotEquals(0, result.exitCode(), component + " built without picket-settings:\n" + result.stdout());
            assertTrue(result.stderr().contains("picket-settings"),
                    component + ": the failure should name the missing ConfigMap: " + result.stderr());
        }
    }
}
