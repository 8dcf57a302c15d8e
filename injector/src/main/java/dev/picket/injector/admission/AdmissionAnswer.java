package dev.picket.injector.admission;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.picket.injector.config.InjectorConfig;
import dev.picket.injector.mutate.PodJson;
import dev.picket.injector.mutate.SkipReason;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;

/**
 * What the webhook answers to one request, before it becomes an AdmissionReview.
 *
 * @param patch a JSON Patch array, present only when the pod was injected
 * @param message why the pod was denied, or why it was admitted without the sidecar
 */
public record AdmissionAnswer(AdmissionResult result, Optional<SkipReason> skip, Optional<JsonNode> patch,
        Optional<String> message) {

    public static AdmissionAnswer injected(JsonNode patch) {
        return new AdmissionAnswer(AdmissionResult.INJECTED, Optional.empty(), Optional.of(patch), Optional.empty());
    }

    public static AdmissionAnswer skipped(SkipReason reason) {
        return new AdmissionAnswer(AdmissionResult.SKIPPED, Optional.of(reason), Optional.empty(), Optional.empty());
    }

    public static AdmissionAnswer denied(String message) {
        return new AdmissionAnswer(AdmissionResult.DENIED, Optional.empty(), Optional.empty(), Optional.of(message));
    }

    public static AdmissionAnswer allowedUninjected(String message) {
        return new AdmissionAnswer(AdmissionResult.ALLOWED_UNINJECTED, Optional.empty(), Optional.empty(),
                Optional.of(message));
    }

    /** A pod that should get the sidecar but cannot: denied, or admitted with a warning if the policy says so. */
    public static AdmissionAnswer failure(InjectorConfig.OnFailure policy, String message) {
        return policy == InjectorConfig.OnFailure.ALLOW ? allowedUninjected(message) : denied(message);
    }

    public boolean allowed() {
        return result != AdmissionResult.DENIED;
    }

    /** The response review: same apiVersion and kind as the request, its uid, and the patch base64-encoded once. */
    public AdmissionReview toReview(String apiVersion, String uid) {
        AdmissionResponseBuilder response = new AdmissionResponseBuilder().withUid(uid).withAllowed(allowed());
        patch.filter(p -> !p.isEmpty()).ifPresent(p -> response
                .withPatchType("JSONPatch")
                .withPatch(Base64.getEncoder().encodeToString(PodJson.toJson(p).getBytes(StandardCharsets.UTF_8))));
        if (result == AdmissionResult.DENIED) {
            response.withStatus(new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
                    .withMessage("picket: " + message.orElse("denied")).build());
        }
        if (result == AdmissionResult.ALLOWED_UNINJECTED) {
            // Shown by kubectl: the user learns the pod runs unprotected, and why.
            response.withWarnings(List.of("picket: admitted without the Picket sidecar: " + message.orElse("")));
        }
        Map<String, String> audit = new LinkedHashMap<>();
        audit.put("result", result.label());
        skip.ifPresent(s -> audit.put("reason", s.code()));
        response.withAuditAnnotations(audit);
        return new AdmissionReviewBuilder().withApiVersion(apiVersion).withKind(AdmissionReviewReader.KIND)
                .withResponse(response.build()).build();
    }
}
