package dev.picket.injector.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code kubectl kustomize}, which builds a kustomization offline. Absent on some machines. */
final class Kubectl {

    private static final Path EXECUTABLE = find();

    private Kubectl() {
    }

    private static Path find() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return Path.of(dir, "kubectl");
            }
        }
        return null;
    }

    static boolean available() {
        return EXECUTABLE != null;
    }

    /** Skips (or, under CI=true, fails) the calling test when kubectl is not installed. */
    static void require() {
        Preconditions.require(available(), "kubectl is not on the PATH (kubectl kustomize builds the manifests)");
    }

    /** @return the built YAML; throws with kubectl's message when the build fails */
    static String kustomize(Path dir) {
        Result result = tryKustomize(dir);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + result.stderr());
        }
        return result.stdout();
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    static Result tryKustomize(Path dir) {
        require();
        try {
            Path out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process process = new ProcessBuilder(List.of(EXECUTABLE.toString(), "kustomize", dir.toString()))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("kubectl kustomize " + dir + " did not finish within 60 s");
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kubectl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running kubectl", e);
        }
    }
}
