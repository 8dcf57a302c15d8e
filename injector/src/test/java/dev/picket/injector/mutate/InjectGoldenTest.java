package dev.picket.injector.mutate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.picket.injector.admission.AdmissionAnswer;
import dev.picket.injector.admission.AdmissionDecision;
import dev.picket.injector.admission.AdmissionResult;
import dev.picket.injector.config.InjectorConfig;
import dev.picket.injector.golden.GoldenCase;
import dev.picket.injector.golden.GoldenCases;
import dev.picket.injector.golden.GoldenOutcome;
import dev.picket.injector.golden.TestNamespaces;
import dev.picket.injector.golden.TestSettings;
import dev.picket.injector.policy.ProfileLookup;
import dev.picket.injector.policy.ProfileParser;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;

/**
 * Every {@code inject/<case>.yaml} through the pure admission decision (injection, then the image policy and the
 * pod-security gate of the case's WorkloadProfiles): the outcome must equal {@code <case>.injected.yaml}, and
 * sending the result again must change nothing.
 */
class InjectGoldenTest {

    private final PodInjector injector = new PodInjector(TestSettings.defaults());

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        List<GoldenCase> cases = GoldenCases.all();
        assertFalse(cases.isEmpty(), "no golden cases found in " + GoldenCases.directory().toAbsolutePath());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private void check(GoldenCase golden) throws IOException {
        JsonNode raw = golden.pod();
        JsonNode rawBefore = raw.deepCopy();
        Pod pod = PodJson.toPod(raw);
        JsonNode modelBefore = PodJson.toTree(pod);
        AdmissionDecision.Profiles profiles = profiles(golden);
        AdmissionAnswer answer = decide(pod, golden, profiles);
        assertEquals(modelBefore, PodJson.toTree(pod), "the decision modified the pod it was given");

        String actual;
        if (answer.patch().isPresent()) {
            // Applied to the pod as written, exactly as the API server applies it.
            JsonNode patched = JsonPatch.apply(answer.patch().get(), raw);
            assertEquals(rawBefore, raw, "applying the patch modified its input");
            assertReinjectionIsNoOp(patched, golden, profiles, answer);
            actual = GoldenOutcome.injected(patched, answer.allWarnings());
        } else if (answer.result() == AdmissionResult.DENIED) {
            actual = GoldenOutcome.denied(answer.message().orElseThrow(), answer.allWarnings());
        } else {
            SkipReason skip = answer.skip().orElseThrow(() -> new AssertionError("neither injected, denied nor skipped"));
            actual = GoldenOutcome.skipped(skip.code(), skip.sentence(), answer.allWarnings());
        }

        if (GoldenCases.refresh()) {
            Files.writeString(golden.golden(), actual);
            return;
        }
        if (!Files.exists(golden.golden())) {
            fail("missing " + golden.golden().getFileName() + "; run with -Dpicket.golden.refresh=true and review it");
        }
        assertEquals(golden.expected(), actual, "outcome of " + golden.name() + " differs from its golden file");
    }

    private AdmissionAnswer decide(Pod pod, GoldenCase golden, AdmissionDecision.Profiles profiles) {
        return AdmissionDecision.decide(pod, TestNamespaces.info(golden.namespace()), profiles, injector,
                InjectorConfig.OnFailure.DENY);
    }

    /** The case's WorkloadProfiles as the injector's cache would hold them, in the case's namespace. */
    static AdmissionDecision.Profiles profiles(GoldenCase golden) throws IOException {
        List<JsonNode> documents = golden.profiles();
        return namespace -> new ProfileLookup.Available(namespace.equals(golden.namespace())
                ? documents.stream().map(ProfileParser::parse).toList()
                : List.of());
    }

    /**
     * The second invocation (API server reinvocation, or GitOps-injected pods) must yield no patch, and the same
     * policy outcome: the injected pod is judged again, as it would be.
     */
    private void assertReinjectionIsNoOp(JsonNode injectedRaw, GoldenCase golden, AdmissionDecision.Profiles profiles,
            AdmissionAnswer first) {
        AdmissionAnswer second = decide(PodJson.toPod(injectedRaw), golden, profiles);
        assertTrue(second.patch().isEmpty(), "re-injection produced a patch");
        assertEquals(SkipReason.ALREADY_INJECTED, second.skip().orElse(null));
        assertEquals(first.findings(), second.findings(), "the injected pod is judged as the original was");
    }

    @Test
    void everyGoldenFileHasItsCase() throws IOException {
        assertEquals(List.of(), GoldenCases.unused(), "golden files without a case (delete them)");
    }

    @Test
    void goldenDirectoryIsTheSourceTree() {
        // A refresh must rewrite the files under version control, not copies in target/.
        assertTrue(GoldenCases.directory().toString().contains("src"), GoldenCases.directory().toString());
    }
}
