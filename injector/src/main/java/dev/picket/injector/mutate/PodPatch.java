package dev.picket.injector.mutate;

import java.util.EnumSet;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;

/**
 * The JSON Patch (RFC 6902) that turns one pod into another, computed by zjsonpatch rather than
 * assembled by hand: escaping of {@code /} in annotation keys and array indices is the library's job.
 */
public final class PodPatch {

    /**
     * Only add/remove/replace: move and copy are valid JSON Patch but harder to audit, and a patch that
     * reads as "add the sidecar" is what a reviewer of an audit log expects.
     */
    private static final EnumSet<DiffFlags> FLAGS = EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION);

    private PodPatch() {
    }

    /** An array of operations; empty when the pods are equal. */
    public static JsonNode diff(JsonNode before, JsonNode after) {
        return JsonDiff.asJson(before, after, FLAGS);
    }
}
