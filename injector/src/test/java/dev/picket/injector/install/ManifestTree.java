package dev.picket.injector.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The repository's manifests/ tree and the kustomizations that are built from it: the install itself,
 * the overlays, the examples, and the test harnesses in src/test/resources/install/kustomize/.
 */
final class ManifestTree {

    /** Surefire runs in injector/; the manifests are the repository's, one level up. */
    static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("../manifests").normalize();
    static final Path BASE = ROOT.resolve("base");
    static final Path HARNESSES = Path.of(System.getProperty("user.dir"))
            .resolve("src/test/resources/install/kustomize").normalize();

    private ManifestTree() {
    }

    /**
     * Files under manifests/ that are not Kubernetes manifests, and the test that reads each: the alert rules
     * as a plain Prometheus rules file (PrometheusRulesTest, and the sidecar's PromtoolTest and
     * PrometheusScrapeIT).
     */
    static final Set<Path> NOT_MANIFESTS = Set.of(ROOT.resolve("prometheus/picket-rules.yaml"));

    static Path root() {
        assertTrue(Files.isRegularFile(ROOT.resolve("kustomization.yaml")), "no kustomization.yaml in " + ROOT);
        return ROOT;
    }

    static List<Path> yamlFiles() {
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !NOT_MANIFESTS.contains(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under manifests/, whatever its kind. */
    static List<Path> allFiles() {
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files a kustomization's configMapGenerator reads ({@code files:} entries, {@code key=path} or path). */
    static List<Path> generatorInputs(Path dir) {
        List<Path> inputs = new ArrayList<>();
        for (JsonNode generator : kustomization(dir).path("configMapGenerator")) {
            for (JsonNode file : generator.path("files")) {
                String entry = file.asText();
                inputs.add(dir.resolve(entry.contains("=") ? entry.substring(entry.indexOf('=') + 1) : entry).normalize());
            }
        }
        return inputs;
    }

    static boolean isKustomization(Path file) {
        return file.getFileName().toString().equals("kustomization.yaml");
    }

    /** Every kustomization that is meant to be built (kind Kustomization, not Component). */
    static List<Path> buildable() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(root());
        dirs.addAll(subdirectories(ROOT.resolve("overlays")));
        dirs.addAll(subdirectories(ROOT.resolve("examples")));
        dirs.addAll(subdirectories(HARNESSES));
        return dirs;
    }

    static List<Path> components() {
        return subdirectories(ROOT.resolve("components"));
    }

    private static List<Path> subdirectories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> Files.isRegularFile(p.resolve("kustomization.yaml"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode kustomization(Path dir) {
        List<JsonNode> docs = StrictParser.documents(read(dir.resolve("kustomization.yaml")));
        assertEquals(1, docs.size(), dir + "/kustomization.yaml must hold one document");
        return docs.get(0);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String relative(Path file) {
        return ROOT.getParent().relativize(file.toAbsolutePath().normalize()).toString();
    }

    /**
     * The objects `kubectl apply -k manifests/` installs: built with kubectl where it exists, otherwise
     * read from the plain files listed in base/kustomization.yaml (everything but the common labels,
     * which only the build adds). Parse problems fail the caller.
     */
    static List<HasMetadata> install() {
        return Kubectl.available() ? built(root()) : plainBase();
    }

    static List<HasMetadata> built(Path dir) {
        StrictParser.Parsed parsed = StrictParser.parse(Kubectl.kustomize(dir), relative(dir) + " (built)");
        assertEquals(List.of(), parsed.problems());
        return parsed.objects();
    }

    static List<HasMetadata> plainBase() {
        return plainResources(BASE);
    }

    /** The objects of a kustomization's resources as written: files, and directories (kustomizations) followed. */
    static List<HasMetadata> plainResources(Path dir) {
        List<HasMetadata> objects = new ArrayList<>();
        for (JsonNode resource : kustomization(dir).path("resources")) {
            Path target = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(target)) {
                objects.addAll(plainResources(target));
                continue;
            }
            StrictParser.Parsed parsed = StrictParser.parse(read(target), relative(target));
            assertEquals(List.of(), parsed.problems());
            objects.addAll(parsed.objects());
        }
        return objects;
    }

    static List<HasMetadata> plainFile(Path file) {
        StrictParser.Parsed parsed = StrictParser.parse(read(file), relative(file));
        assertEquals(List.of(), parsed.problems());
        return parsed.objects();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> name.equals(o.getMetadata().getName())).toList();
        assertEquals(1, found.size(), "expected exactly one " + type.getSimpleName() + " " + name);
        return found.get(0);
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> Optional<T> find(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }
}
