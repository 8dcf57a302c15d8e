package dev.picket.injector.mutate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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

import dev.picket.injector.golden.GoldenCase;
import dev.picket.injector.golden.GoldenCases;
import dev.picket.injector.golden.GoldenOutcome;
import dev.picket.injector.golden.TestNamespaces;
import dev.picket.injector.golden.TestSettings;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;

/**
 * Every {@code inject/<case>.yaml} through the pure injector: the outcome must equal
 * {@code <case>.injected.yaml}, and injecting the result again must change nothing.
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
        Decision decision = injector.inject(pod, TestNamespaces.info(golden.namespace()));
        assertEquals(modelBefore, PodJson.toTree(pod), "the injector modified the pod it was given");

        String actual = switch (decision) {
            case Decision.Injected injected -> {
                JsonNode patch = PodPatch.diff(modelBefore, PodJson.toTree(injected.pod()));
                // Applied to the pod as written, exactly as the API server applies it.
                JsonNode patched = JsonPatch.apply(patch, raw);
                assertEquals(rawBefore, raw, "applying the patch modified its input");
                assertReinjectionIsNoOp(patched);
                yield GoldenOutcome.injected(patched);
            }
            case Decision.Skipped skipped -> GoldenOutcome.skipped(skipped.reason().code(), skipped.reason().sentence());
            case Decision.Denied denied -> GoldenOutcome.denied(denied.message());
        };

        if (GoldenCases.refresh()) {
            Files.writeString(golden.golden(), actual);
            return;
        }
        if (!Files.exists(golden.golden())) {
            fail("missing " + golden.golden().getFileName() + "; run with -Dpicket.golden.refresh=true and review it");
        }
        assertEquals(golden.expected(), actual, "outcome of " + golden.name() + " differs from its golden file");
    }

    /** The second invocation (API server reinvocation, or GitOps-injected pods) must yield an empty patch. */
    private void assertReinjectionIsNoOp(JsonNode injectedRaw) {
        Pod again = PodJson.toPod(injectedRaw);
        Decision second = injector.inject(again, TestNamespaces.info("team-enabled"));
        Decision.Skipped skipped = assertInstanceOf(Decision.Skipped.class, second);
        assertEquals(SkipReason.ALREADY_INJECTED, skipped.reason());
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
