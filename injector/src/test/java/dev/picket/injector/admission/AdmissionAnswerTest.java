package dev.picket.injector.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.picket.injector.config.InjectorConfig;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;

class AdmissionAnswerTest {

    @Test
    void theFailurePolicyDeniesByDefaultAndCanLetThePodThroughWithAWarning() {
        AdmissionReview denied = AdmissionAnswer.failure(InjectorConfig.OnFailure.DENY, "bad annotation")
                .toReview("admission.k8s.io/v1", "u1");
        assertFalse(denied.getResponse().getAllowed());
        assertEquals("picket: bad annotation", denied.getResponse().getStatus().getMessage());
        assertEquals(403, denied.getResponse().getStatus().getCode());
        assertEquals("denied", denied.getResponse().getAuditAnnotations().get("result"));

        AdmissionReview allowed = AdmissionAnswer.failure(InjectorConfig.OnFailure.ALLOW, "bad annotation")
                .toReview("admission.k8s.io/v1", "u2");
        assertTrue(allowed.getResponse().getAllowed());
        assertNull(allowed.getResponse().getPatch());
        assertEquals(List.of("picket: admitted without the Picket sidecar: bad annotation"),
                allowed.getResponse().getWarnings());
        assertEquals("allowed_uninjected", allowed.getResponse().getAuditAnnotations().get("result"));
    }

    @Test
    void thePatchIsBase64EncodedExactlyOnce() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode patch = json.readTree("[{\"op\":\"add\",\"path\":\"/metadata/annotations/picket.dev~1status\",\"value\":\"{}\"}]");
        AdmissionReview review = AdmissionAnswer.injected(patch).toReview("admission.k8s.io/v1", "u3");
        assertEquals("JSONPatch", review.getResponse().getPatchType());
        String decoded = new String(Base64.getDecoder().decode(review.getResponse().getPatch()), StandardCharsets.UTF_8);
        assertEquals(patch, json.readTree(decoded));
        assertEquals("u3", review.getResponse().getUid());
        assertEquals("AdmissionReview", review.getKind());
    }
}
