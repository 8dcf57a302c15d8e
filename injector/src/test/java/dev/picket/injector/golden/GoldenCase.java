package dev.picket.injector.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.picket.injector.manifest.ManifestFormat;

/**
 * One golden case: {@code inject/<name>.yaml} (a pod, with a "# namespace: ..." header line) and the
 * expected outcome in {@code inject/<name>.injected.yaml}.
 */
public record GoldenCase(String name, Path input, Path golden, String namespace) {

    private static final Pattern NAMESPACE = Pattern.compile("(?m)^# namespace: (\\S+)\\s*$");

    static GoldenCase of(Path input) {
        String file = input.getFileName().toString();
        String name = file.substring(0, file.length() - ".yaml".length());
        try {
            Matcher matcher = NAMESPACE.matcher(Files.readString(input));
            if (!matcher.find()) {
                throw new IllegalStateException(file + " lacks a '# namespace: <name>' header line");
            }
            return new GoldenCase(name, input, input.resolveSibling(name + ".injected.yaml"), matcher.group(1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pod exactly as written, as the API server would send it. */
    public JsonNode pod() throws IOException {
        return ManifestFormat.YAML.read(Files.readString(input)).getFirst();
    }

    public String expected() throws IOException {
        return Files.readString(golden);
    }

    @Override
    public String toString() {
        return name;
    }
}
