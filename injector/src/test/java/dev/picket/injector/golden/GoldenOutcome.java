package dev.picket.injector.golden;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.picket.injector.manifest.ManifestFormat;

/**
 * How an outcome is written in a golden file: the injected pod itself (the input with the patch applied), or for a
 * pod left alone a short document with the skip reason or the denial message. The AdmissionReview's warnings
 * (image policy, pod-security gate) are a {@code warnings} list in that document; an injected pod with warnings is
 * followed by a second document {@code outcome: injected} that carries them.
 */
public final class GoldenOutcome {

    private GoldenOutcome() {
    }

    public static String injected(JsonNode patchedPod, List<String> warnings) throws IOException {
        List<JsonNode> documents = new ArrayList<>(List.of(patchedPod));
        if (!warnings.isEmpty()) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("outcome", "injected");
            warnings(node, warnings);
            documents.add(node);
        }
        return ManifestFormat.YAML.write(documents);
    }

    public static String skipped(String code, String sentence, List<String> warnings) throws IOException {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("outcome", "skipped");
        node.put("reason", code);
        node.put("sentence", sentence);
        warnings(node, warnings);
        return ManifestFormat.YAML.write(List.of(node));
    }

    public static String denied(String message, List<String> warnings) throws IOException {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("outcome", "denied");
        node.put("message", message);
        warnings(node, warnings);
        return ManifestFormat.YAML.write(List.of(node));
    }

    private static void warnings(ObjectNode node, List<String> warnings) {
        if (!warnings.isEmpty()) {
            ArrayNode list = node.putArray("warnings");
            warnings.forEach(list::add);
        }
    }
}
