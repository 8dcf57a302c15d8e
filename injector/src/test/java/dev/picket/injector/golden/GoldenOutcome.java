package dev.picket.injector.golden;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.picket.injector.manifest.ManifestFormat;

/**
 * How an outcome is written in a golden file: the injected pod itself (the input with the patch applied),
 * or for a pod left alone a short document with the skip reason or the denial message.
 */
public final class GoldenOutcome {

    private GoldenOutcome() {
    }

    public static String injected(JsonNode patchedPod) throws IOException {
        return ManifestFormat.YAML.write(List.of(patchedPod));
    }

    public static String skipped(String code, String sentence) throws IOException {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("outcome", "skipped");
        node.put("reason", code);
        node.put("sentence", sentence);
        return ManifestFormat.YAML.write(List.of(node));
    }

    public static String denied(String message) throws IOException {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("outcome", "denied");
        node.put("message", message);
        return ManifestFormat.YAML.write(List.of(node));
    }
}
