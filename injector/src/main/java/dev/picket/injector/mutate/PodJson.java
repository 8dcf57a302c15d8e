package dev.picket.injector.mutate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Converts between fabric8 pods and JSON trees with one mapper, so that the "before" and "after" of a
 * diff are serialised identically and the patch contains only what the injector changed.
 */
public final class PodJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // Unknown fields land in the models' additionalProperties; never fail on a newer API server's fields.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private PodJson() {
    }

    public static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    public static Pod toPod(JsonNode tree) {
        try {
            return MAPPER.treeToValue(tree, Pod.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a Pod: " + e.getOriginalMessage(), e);
        }
    }

    /** A deep copy: the injector must never modify the pod it was given. */
    public static Pod copy(Pod pod) {
        return toPod(toTree(pod));
    }

    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
