package dev.picket.profile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Small builders for profile documents in tests. */
final class Docs {

    static final String HEADER = """
            apiVersion: picket.dev/v1alpha1
            kind: WorkloadProfile
            metadata:
              name: test
            """;

    private Docs() {
    }

    /** A document with {@code spec:} followed by {@code specBody}, which is indented by two spaces. */
    static String withSpec(String specBody) {
        return HEADER + "spec:\n" + specBody.stripIndent().lines().map(l -> "  " + l + "\n").collect(Collectors.joining());
    }

    static String resource(String name) {
        try (var in = Docs.class.getClassLoader().getResourceAsStream("profiles/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource profiles/" + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Profile compile(String yaml) {
        return ProfileCompiler.fromYaml(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), "test", 1).orElseThrow();
    }

    static String problems(String yaml) {
        Validated<WorkloadProfile> v = ProfileReader.read(yaml);
        if (v.isValid()) {
            throw new AssertionError("expected problems, the profile is valid:\n" + yaml);
        }
        return v.describe();
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
