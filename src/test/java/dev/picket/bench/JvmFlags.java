package dev.picket.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM flags of the image, read from the exec-form ENTRYPOINT of {@code src/main/docker/Dockerfile.jvm}
 * (every argument between {@code java} and {@code -jar}), so the benchmark measures what the image runs.
 * Paths under {@code /deployments/} are mapped to the local {@code quarkus-app} directory.
 */
final class JvmFlags {

    /**
     * What a pod gives the sidecar, emulated without a container: the injected memory limit (128Mi) and a
     * CPU limit under one core (200m), which the JVM would read from its cgroup.
     */
    static final List<String> POD_EMULATION = List.of("-XX:MaxRAM=128m", "-XX:ActiveProcessorCount=1");

    private JvmFlags() {
    }

    static List<String> fromDockerfile(Path dockerfile, Path appDir) throws IOException {
        String text = Files.readString(dockerfile);
        int at = text.indexOf("\nENTRYPOINT");
        if (at < 0) {
            throw new IllegalStateException(dockerfile + " has no ENTRYPOINT");
        }
        int end = text.indexOf(']', at);
        Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(text.substring(at, end));
        List<String> args = new ArrayList<>();
        while (m.find()) {
            args.add(m.group(1));
        }
        int java = args.indexOf("java");
        int jar = args.indexOf("-jar");
        if (java < 0 || jar < 0) {
            throw new IllegalStateException(dockerfile + ": the ENTRYPOINT is not [\"java\", ..., \"-jar\", ...]");
        }
        List<String> flags = new ArrayList<>();
        for (String a : args.subList(java + 1, jar)) {
            flags.add(a.replace("/deployments/", appDir.toString() + "/"));
        }
        return flags;
    }
}
