package dev.picket.injector.admission;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import dev.picket.injector.config.InjectorConfig;
import dev.picket.injector.mutate.PodJson;
import dev.picket.injector.mutate.SkipReason;
import dev.picket.injector.policy.Finding;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;

/**
 * What the webhook answers to one request, before it becomes an AdmissionReview.
 *
 * @param patch    a JSON Patch array, present only when the pod was injected
 * @param message  why the pod was denied, or why it was admitted without the sidecar
 * @param warnings AdmissionReview warnings besides the one of {@code allowed_uninjected} (kubectl prints them)
 * @param findings what the admission policies found (image policy, pod-security gate), for metrics and the log
 */
public record AdmissionAnswer(AdmissionResult result, Optional<SkipReason> skip, Optional<JsonNode> patch,
        Optional<String> message, List<String> warnings, List<Finding> findings) {

    public AdmissionAnswer {
        warnings = List.copyOf(warnings);
        findings = List.copyOf(findings);
    }

    public static AdmissionAnswer injected(JsonNode patch) {
        return new AdmissionAnswer(AdmissionResult.INJECTED, Optional.empty(), Optional.of(patch), Optional.empty(),
                List.of(), List.of());
    }

    public static AdmissionAnswer skipped(SkipReason reason) {
        return new AdmissionAnswer(AdmissionResult.SKIPPED, Optional.of(reason), Optional.empty(), Optional.empty(),
                List.of(), List.of());
    }

    public static AdmissionAnswer denied(String message) {
        return new AdmissionAnswer(AdmissionResult.DENIED, Optional.empty(), Optional.empty(), Optional.of(message),
                List.of(), List.of());
    }

    public static AdmissionAnswer allowedUninjected(String message) {
        return new AdmissionAnswer(AdmissionResult.ALLOWED_UNINJECTED, Optional.empty(), Optional.empty(),
                Optional.of(message), List.of(), List.of());
    }

    /** A pod that should get the sidecar but cannot: denied, or admitted with a warning if the policy says so. */
    public static AdmissionAnswer failure(InjectorConfig.OnFailure policy, String message) {
        return policy == InjectorConfig.OnFailure.ALLOW ? allowedUninjected(message) : denied(message);
    }

    /** The same answer with the policies' warnings and findings added. */
    public AdmissionAnswer with(List<String> moreWarnings, List<Finding> moreFindings) {
        List<String> w = new ArrayList<>(warnings);
        w.addAll(moreWarnings);
        List<Finding> f = new ArrayList<>(findings);
        f.addAll(moreFindings);
        return new AdmissionAnswer(result, skip, patch, message, w, f);
    }

    public boolean allowed() {
        return result != AdmissionResult.DENIED;
    }

    /** Every warning the response carries, in order. */
    public List<String> allWarnings() {
        List<String> all = new ArrayList<>();
        if (result == AdmissionResult.ALLOWED_UNINJECTED) {
            // Shown by kubectl: the user learns the pod runs unprotected, and why.
            all.add("picket: admitted without the Picket sidecar: " + message.orElse(""));
        }
        all.addAll(warnings);
        return all;
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
        List<String> all = allWarnings();
        if (!all.isEmpty()) {
            response.withWarnings(all);
        }
        Map<String, String> audit = new LinkedHashMap<>();
        audit.put("result", result.label());
        skip.ifPresent(s -> audit.put("reason", s.code()));
        if (!findings.isEmpty()) {
            audit.put("findings", findings.stream().map(f -> f.rule().code() + "=" + f.action().wire()).distinct()
                    .collect(Collectors.joining(",")));
        }
        response.withAuditAnnotations(audit);
        return new AdmissionReviewBuilder().withApiVersion(apiVersion).withKind(AdmissionReviewReader.KIND)
                .withResponse(response.build()).build();
    }
}
