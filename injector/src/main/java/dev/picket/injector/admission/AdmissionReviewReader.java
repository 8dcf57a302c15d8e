package dev.picket.injector.admission;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;

/**
 * Reads an AdmissionReview body. Anything that cannot be answered (not JSON, not a v1 AdmissionReview,
 * no request uid) is a {@link BadAdmissionReview}; everything else is left to the decision.
 */
public final class AdmissionReviewReader {

    public static final String API_VERSION = "admission.k8s.io/v1";
    public static final String KIND = "AdmissionReview";

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private AdmissionReviewReader() {
    }

    public static AdmissionCall read(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BadAdmissionReview("empty body; expected an admission.k8s.io/v1 AdmissionReview");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new BadAdmissionReview("body is not JSON: " + originalMessage(e));
        }
        if (root == null || !root.isObject()) {
            throw new BadAdmissionReview("body is not a JSON object; expected an admission.k8s.io/v1 AdmissionReview");
        }
        String kind = root.path("kind").asText("");
        String apiVersion = root.path("apiVersion").asText("");
        if (!KIND.equals(kind)) {
            throw new BadAdmissionReview("kind is \"" + printable(kind) + "\"; expected AdmissionReview");
        }
        if (!API_VERSION.equals(apiVersion)) {
            throw new BadAdmissionReview("apiVersion is \"" + printable(apiVersion)
                    + "\"; only admission.k8s.io/v1 is served (set admissionReviewVersions: [\"v1\"])");
        }
        JsonNode requestNode = root.path("request");
        if (!requestNode.isObject()) {
            throw new BadAdmissionReview("request is missing");
        }
        // The typed request is read without object/oldObject: the pod stays a raw tree (it is diffed and
        // patched as the API server holds it), and a pod that does not fit the model becomes a denial with
        // this request's uid rather than a 400.
        ObjectNode envelope = MAPPER.createObjectNode();
        requestNode.properties().stream()
                .filter(e -> !e.getKey().equals("object") && !e.getKey().equals("oldObject"))
                .forEach(e -> envelope.set(e.getKey(), e.getValue()));
        AdmissionRequest request;
        try {
            request = MAPPER.treeToValue(envelope, AdmissionRequest.class);
        } catch (JsonProcessingException e) {
            throw new BadAdmissionReview("request is malformed: " + originalMessage(e));
        }
        if (request.getUid() == null || request.getUid().isBlank()) {
            throw new BadAdmissionReview("request.uid is missing; the response could not be matched to the request");
        }
        GroupVersionKind gvk = request.getKind();
        JsonNode object = requestNode.get("object");
        return new AdmissionCall(apiVersion, request.getUid(),
                gvk == null || gvk.getGroup() == null ? "" : gvk.getGroup(),
                gvk == null ? null : gvk.getVersion(),
                gvk == null ? null : gvk.getKind(),
                request.getSubResource(),
                request.getOperation(),
                request.getNamespace(),
                request.getName(),
                Boolean.TRUE.equals(request.getDryRun()),
                object == null || object.isNull() ? null : object);
    }

    private static String originalMessage(IOException e) {
        String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        return printable(message == null ? e.getClass().getSimpleName() : message);
    }

    /** Request content echoed into messages and logs: no control characters, bounded length. */
    static String printable(String text) {
        // C0 and C1 controls (ESC, NEL, CSI) and format characters (bidi overrides) could forge or hide log text
        String clean = text.replaceAll("[\\p{Cc}\\p{Cf}]", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }
}
