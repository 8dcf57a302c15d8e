package dev.picket.injector.manifest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Reading and writing manifests: one JSON document, or a YAML stream of documents separated by {@code ---}. */
public enum ManifestFormat {
    JSON,
    YAML;

    private static final ObjectMapper JSON_MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private static final YAMLMapper YAML_MAPPER = YAMLMapper.builder(YAMLFactory.builder()
            // Quote only where YAML needs it; strings such as "true" or "8080" keep their quotes.
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build()).build();

    public static ManifestFormat fromMediaType(String mediaType) {
        return mediaType != null && mediaType.toLowerCase(java.util.Locale.ROOT).contains("yaml") ? YAML : JSON;
    }

    public String mediaType() {
        return this == YAML ? "application/yaml" : "application/json";
    }

    public List<JsonNode> read(String text) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        if (this == JSON) {
            JsonNode node = JSON_MAPPER.readTree(text);
            if (node != null && !node.isMissingNode()) {
                documents.add(node);
            }
            return documents;
        }
        try (MappingIterator<JsonNode> it = YAML_MAPPER.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                // "---" followed by nothing (a trailing separator) is an empty document, read as null or "".
                boolean empty = node == null || node.isNull() || node.isMissingNode()
                        || (node.isTextual() && node.asText().isEmpty());
                if (!empty) {
                    documents.add(node);
                }
            }
        }
        return documents;
    }

    public String write(List<JsonNode> documents) throws JsonProcessingException {
        if (this == JSON) {
            return JSON_MAPPER.writeValueAsString(documents.size() == 1 ? documents.getFirst() : documents);
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode document : documents) {
            out.append(YAML_MAPPER.writeValueAsString(document));
        }
        return out.toString();
    }
}
