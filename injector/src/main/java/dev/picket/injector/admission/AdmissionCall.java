package dev.picket.injector.admission;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of an AdmissionReview request the injector looks at.
 *
 * @param namespace the request's namespace, which the API server derives from the URL and which
 *        therefore wins over whatever the object's metadata.namespace claims
 * @param object the raw request.object (null when absent)
 */
public record AdmissionCall(
        String apiVersion,
        String uid,
        String group,
        String version,
        String kind,
        String subResource,
        String operation,
        String namespace,
        String name,
        boolean dryRun,
        JsonNode object) {

    public boolean isPod() {
        return "".equals(group) && "v1".equals(version) && "Pod".equals(kind)
                && (subResource == null || subResource.isEmpty());
    }

    public boolean isCreate() {
        return "CREATE".equals(operation);
    }
}
