package dev.picket.injector.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.picket.injector.manifest.ManifestFormat;

/**
 * One golden case: {@code inject/<name>.yaml} (a pod, with a "# namespace: ..." header line, optionally followed by
 * WorkloadProfile documents: the profiles of the pod's namespace) and the expected outcome in
 * {@code inject/<name>.injected.yaml}.
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

    /** The WorkloadProfiles after the pod, each placed in the case's namespace. */
    public List<JsonNode> profiles() throws IOException {
        List<JsonNode> documents = ManifestFormat.YAML.read(Files.readString(input));
        List<JsonNode> profiles = new ArrayList<>();
        for (JsonNode d : documents.subList(1, documents.size())) {
            if (!"WorkloadProfile".equals(d.path("kind").asText())) {
                throw new IllegalStateException(name + ": only WorkloadProfile documents may follow the pod");
            }
            ObjectNode profile = d.deepCopy();
            ((ObjectNode) profile.path("metadata")).put("namespace", namespace);
            profiles.add(profile);
        }
        return profiles;
    }

    public String expected() throws IOException {
        return Files.readString(golden);
    }

    @Override
    public String toString() {
        return name;
    }
}
