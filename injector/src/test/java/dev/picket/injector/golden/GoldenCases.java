package dev.picket.injector.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the golden cases. Run {@code ./mvnw -f injector/pom.xml test -Dpicket.golden.refresh=true} to
 * rewrite every {@code *.injected.yaml} from the current code, then review the diff before committing.
 */
public final class GoldenCases {

    private GoldenCases() {
    }

    public static boolean refresh() {
        return Boolean.parseBoolean(System.getProperty("picket.golden.refresh", "false"));
    }

    /** The source directory (not target/test-classes), so a refresh rewrites the files under version control. */
    public static Path directory() {
        return Path.of(System.getProperty("picket.golden.dir", "src/test/resources/inject"));
    }

    public static List<GoldenCase> all() throws IOException {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(p -> p.toString().endsWith(".yaml") && !p.toString().endsWith(".injected.yaml"))
                    .sorted()
                    .map(GoldenCase::of)
                    .toList();
        }
    }

    /** Golden files whose input case no longer exists: stale expectations that test nothing. */
    public static List<Path> unused() throws IOException {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(p -> p.toString().endsWith(".injected.yaml"))
                    .filter(p -> !Files.exists(p.resolveSibling(
                            p.getFileName().toString().replace(".injected.yaml", ".yaml"))))
                    .sorted()
                    .toList();
        }
    }
}
