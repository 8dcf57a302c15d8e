package dev.picket.injector.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every finding of {@link AdmissionReviewFuzzTest}, by name, on the exact input the fuzzer found (a seed file in
 * {@code AdmissionReviewFuzzTestInputs/review/}, which the fuzz target replays too).
 */
class AdmissionFindingsTest {

    @BeforeAll
    static void admission() throws Exception {
        AdmissionReviewFuzzTest.admission();
    }

    static byte[] seed(String name) throws IOException {
        try (InputStream in = AdmissionFindingsTest.class.getResourceAsStream("AdmissionReviewFuzzTestInputs/review/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theReplayedSeedsHoldEveryInvariant() throws Exception {
        new AdmissionReviewFuzzTest().review(seed("real-replicaset-pod-create-opted-in.json"));
    }

    @Test
    void aVolumeMountWithoutANameGetsAReasonNotAnInternalError() throws Exception {
        byte[] input = seed("f2-volume-mount-without-name.json");
        assertTrue(AdmissionReviewFuzzTest.mountWithoutName(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(input).at("/request/object")));
        String answer = AdmissionReviewFuzzTest.answerText(input);
        assertFalse(answer.contains("internal error"), answer);
    }

    @Test
    void aBodyThatIsNotJsonGetsA400MessageWithoutControlCharacters() throws Exception {
        try {
            dev.picket.injector.admission.AdmissionReviewReader.read(seed("f3-c1-control-in-400-message.json"));
        } catch (dev.picket.injector.admission.BadAdmissionReview e) {
            assertFalse(e.getMessage().chars().anyMatch(Character::isISOControl), e.getMessage());
            return;
        }
        throw new AssertionError("the body was read as a review");
    }
}
