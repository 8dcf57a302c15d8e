package dev.picket.injector.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The files of manifests/ as written, without kubectl: every object parses strictly, every kustomization
 * is well formed and points at files that exist, and nothing in the tree is left unused.
 */
class ManifestFilesTest {

    private static final Set<String> KUSTOMIZATION_FIELDS = Set.of(
            "apiVersion", "kind", "resources", "components", "patches", "replacements", "labels", "configMapGenerator");

    @Test
    void everyManifestFileParsesIntoTypedObjectsWithUnknownFieldsRejected() {
        List<Path> files = ManifestTree.yamlFiles().stream().filter(f -> !ManifestTree.isKustomization(f)).toList();
        assertTrue(files.size() >= 20, "expected the manifests under " + ManifestTree.ROOT + ", found " + files);
        List<String> problems = new ArrayList<>();
        int objects = 0;
        for (Path file : files) {
            StrictParser.Parsed parsed = StrictParser.parse(ManifestTree.read(file), ManifestTree.relative(file));
            problems.addAll(parsed.problems());
            objects += parsed.objects().size();
            if (parsed.objects().isEmpty() && parsed.problems().isEmpty()) {
                problems.add(ManifestTree.relative(file) + ": holds no Kubernetes object");
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(objects >= 30, "expected at least 30 objects, parsed " + objects);
    }

    @Test
    void everyKustomizationIsWellFormedAndPointsAtWhatExists() {
        List<String> problems = new ArrayList<>();
        List<Path> dirs = ManifestTree.yamlFiles().stream().filter(ManifestTree::isKustomization)
                .map(Path::getParent).toList();
        List<Path> all = new ArrayList<>(dirs);
        all.addAll(ManifestTree.buildable().stream().filter(d -> d.startsWith(ManifestTree.HARNESSES)).toList());
        for (Path dir : all) {
            String where = ManifestTree.relative(dir.resolve("kustomization.yaml"));
            JsonNode k = ManifestTree.kustomization(dir);
            String kind = k.path("kind").asText();
            String expectedApi = switch (kind) {
                case "Kustomization" -> "kustomize.config.k8s.io/v1beta1";
                case "Component" -> "kustomize.config.k8s.io/v1alpha1";
                default -> null;
            };
            if (expectedApi == null) {
                problems.add(where + ": kind must be Kustomization or Component, is " + kind);
                continue;
            }
            if (!expectedApi.equals(k.path("apiVersion").asText())) {
                problems.add(where + ": apiVersion of a " + kind + " is " + expectedApi);
            }
            k.fieldNames().forEachRemaining(f -> {
                if (!KUSTOMIZATION_FIELDS.contains(f)) {
                    problems.add(where + ": field " + f + " is not used in this tree (known: " + KUSTOMIZATION_FIELDS + ")");
                }
            });
            for (JsonNode resource : k.path("resources")) {
                Path target = dir.resolve(resource.asText()).normalize();
                if (Files.isDirectory(target)) {
                    if (!"Kustomization".equals(ManifestTree.kustomization(target).path("kind").asText())) {
                        problems.add(where + ": resource " + resource.asText() + " is not a Kustomization");
                    }
                } else if (!Files.isRegularFile(target)) {
                    problems.add(where + ": resource " + resource.asText() + " does not exist");
                }
            }
            for (Path input : ManifestTree.generatorInputs(dir)) {
                if (!Files.isRegularFile(input)) {
                    problems.add(where + ": configMapGenerator file " + ManifestTree.relative(input) + " does not exist");
                } else if (!input.startsWith(dir)) {
                    problems.add(where + ": configMapGenerator file " + ManifestTree.relative(input)
                            + " lies outside the kustomization's directory, which kustomize refuses to read");
                }
            }
            for (JsonNode component : k.path("components")) {
                Path target = dir.resolve(component.asText()).normalize();
                if (!Files.isRegularFile(target.resolve("kustomization.yaml"))
                        || !"Component".equals(ManifestTree.kustomization(target).path("kind").asText())) {
                    problems.add(where + ": component " + component.asText() + " is not a Component directory");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyManifestFileIsPartOfSomeKustomization() {
        Set<Path> referenced = new HashSet<>();
        for (Path file : ManifestTree.yamlFiles()) {
            if (ManifestTree.isKustomization(file)) {
                for (JsonNode resource : ManifestTree.kustomization(file.getParent()).path("resources")) {
                    referenced.add(file.getParent().resolve(resource.asText()).normalize());
                }
            }
        }
        List<String> orphans = ManifestTree.yamlFiles().stream()
                .filter(f -> !ManifestTree.isKustomization(f))
                .filter(f -> !referenced.contains(f.normalize()))
                .map(ManifestTree::relative)
                .toList();
        assertEquals(List.of(), orphans, "files no kustomization installs (a manifest nothing applies is untested)");
    }

    @Test
    void everyComponentIsBuiltByAnOverlayExampleOrTestHarness() {
        Set<Path> used = new HashSet<>();
        for (Path dir : ManifestTree.buildable()) {
            for (JsonNode component : ManifestTree.kustomization(dir).path("components")) {
                used.add(dir.resolve(component.asText()).normalize());
            }
        }
        List<Path> components = ManifestTree.components();
        assertFalse(components.isEmpty(), "no components found");
        List<String> unused = components.stream().filter(c -> !used.contains(c.normalize()))
                .map(ManifestTree::relative).toList();
        assertEquals(List.of(), unused, "components that no built kustomization includes are never checked");
    }

    @Test
    void everyFileUnderManifestsIsAManifestAKustomizationAGeneratorInputOrAKnownOtherFile() {
        Set<Path> known = new HashSet<>(ManifestTree.yamlFiles());
        known.addAll(ManifestTree.NOT_MANIFESTS);
        for (Path file : ManifestTree.yamlFiles()) {
            if (ManifestTree.isKustomization(file)) {
                known.addAll(ManifestTree.generatorInputs(file.getParent()));
            }
        }
        for (Path notManifest : ManifestTree.NOT_MANIFESTS) {
            assertTrue(Files.isRegularFile(notManifest), ManifestTree.relative(notManifest) + " is listed but missing");
        }
        List<String> unaccounted = ManifestTree.allFiles().stream().filter(f -> !known.contains(f.normalize()))
                .map(ManifestTree::relative).toList();
        assertEquals(List.of(), unaccounted, "files under manifests/ that nothing installs or tests");
    }
}
