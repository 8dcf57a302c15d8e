package dev.picket.hardening;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Directories under the build directory ({@code -DpicketBuildDir}), so two builds of one checkout never share one. */
final class BuildDir {

    private BuildDir() {
    }

    static Path root() {
        try {
            return Path.of(BuildDir.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code <build dir>/<name>}, emptied. */
    static Path fresh(String name) {
        Path dir = root().resolve(name);
        delete(dir);
        return dir;
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
