package dev.picket.hardening.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.picket.profile.Profile;
import dev.picket.profile.ProfileCompiler;
import dev.picket.profile.ProfileLimits;
import dev.picket.profile.ProfileRenderer;
import dev.picket.profile.Validated;
import dev.picket.profile.ValidationProblem;

import java.nio.charset.StandardCharsets;

/**
 * The profile loader on any bytes, the path of a profile file and of {@code picket.profile.path} reloads: read
 * (YAML), validate, compile. It never throws and answers either a profile or problems, each with a field path and a
 * one-line message (both end up in the log and in {@code /v1/status}), at most {@value ProfileLimits#MAX_PROBLEMS}
 * and one summary, within a bounded time. A profile it accepts renders (as {@code GET /v1/profile} shows it) into a
 * document it accepts again and renders the same. Seeds: the profiles of the tests, the embedded default, the demo
 * example and every profile in docs/.
 */
class ProfileFuzzTest {

    static final long MAX_NANOS = 5_000_000_000L;

    @FuzzTest
    void profile(byte[] data) {
        long start = System.nanoTime();
        Validated<Profile> read = ProfileCompiler.fromYaml(data, "fuzz", 1);
        long took = System.nanoTime() - start;
        if (took > MAX_NANOS) {
            throw new AssertionError("reading " + data.length + " bytes took " + took / 1_000_000 + " ms");
        }
        if (!read.isValid()) {
            check(read, data);
            return;
        }
        String rendered = ProfileRenderer.render(read.value());
        Validated<Profile> again = ProfileCompiler.fromYaml(rendered.getBytes(StandardCharsets.UTF_8), "fuzz", 2);
        if (!again.isValid()) {
            throw new AssertionError("the rendering of an accepted profile is refused: " + again.describe()
                    + "\n--- rendered:\n" + rendered + "\n--- from:\n" + new String(data, StandardCharsets.UTF_8));
        }
        String twice = ProfileRenderer.render(again.value());
        if (!twice.equals(rendered)) {
            throw new AssertionError("rendering is not stable:\n" + rendered + "\n--- then:\n" + twice);
        }
    }

    private static void check(Validated<Profile> read, byte[] data) {
        if (read.problems().isEmpty() || read.problems().size() > ProfileLimits.MAX_PROBLEMS + 1) {
            throw new AssertionError(read.problems().size() + " problems for " + Invariants.hex(data));
        }
        for (ValidationProblem p : read.problems()) {
            if (p.path() == null || p.path().isBlank() || p.message() == null || p.message().isBlank()) {
                throw new AssertionError("a problem without path or message: " + p);
            }
            Invariants.noControlCharacters("problem path", p.path());
            Invariants.noControlCharacters("problem message", p.message());
            if (p.path().length() > 1000 || p.message().length() > 1000) {
                throw new AssertionError("an unbounded problem: " + p.path().length() + "/" + p.message().length()
                        + " characters");
            }
        }
    }
}
