package dev.picket.judge;

import dev.picket.observe.EnvMarkers;
import dev.picket.observe.ProcessSample;
import dev.picket.profile.Profile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scan can land in the middle of an exec: /proc/PID/exe already names the new program while stat still
 * carries the old exec signature, so the next scan counts the same exec again. ProcessAllowlistLocalTest
 * caught this with a real {@code sh -c 'sleep & wait'} (a sample with comm {@code sh}, exe {@code sleep},
 * execCount 0, then execCount 1). One exec of one program is one violation however the scans fall.
 */
class MidExecScanTest {

    private static final Set<EnvMarkers.Marker> PRELOAD = Set.of(EnvMarkers.Marker.LD_PRELOAD);

    private static List<Finding> judgeTwice(Profile profile, ProcessSample midExec, ProcessSample after) {
        Judge judge = new Judge(JudgeContext.NONE);
        List<Finding> out = new ArrayList<>(judge.judge(Samples.snapshot(1, List.of(midExec)), profile).fresh());
        out.addAll(judge.judge(Samples.snapshot(2, List.of(after)), profile).fresh());
        return out;
    }

    @Test
    void aDisallowedExecSeenMidExecIsOneViolation() {
        Profile profile = Profiles.spec("""
                processes:
                  allow:
                    - exe: /usr/bin/dash
                  allowRoot: true
                """);
        List<Finding> found = judgeTwice(profile,
                Samples.process(7, "sh", "/usr/bin/sleep", 0, Set.of(), "sleep", "505"),
                Samples.process(7, "sleep", "/usr/bin/sleep", 1, Set.of(), "sleep", "505"));
        assertThat(found).extracting(Finding::rule).containsExactly(ProcessAllowlistRule.NOT_ALLOWED);
    }

    @Test
    void aThreatInTheProgramImageSeenMidExecIsOneViolation() {
        List<Finding> found = judgeTwice(Profiles.permissive(),
                Samples.process(8, "sh", "/tmp/dropped", 0, PRELOAD, "/tmp/dropped"),
                Samples.process(8, "dropped", "/tmp/dropped", 1, PRELOAD, "/tmp/dropped"));
        assertThat(found).extracting(Finding::rule).containsExactlyInAnyOrder("exec-from-writable-dir", "preload-injection");
    }

    @Test
    void anExecIntoAnotherProgramIsJudgedAgain() {
        Profile profile = Profiles.spec("""
                processes:
                  allow:
                    - exe: /usr/bin/dash
                  allowRoot: true
                """);
        List<Finding> found = judgeTwice(profile,
                Samples.process(9, "sleep", "/usr/bin/sleep", 0, Set.of(), "sleep", "1"),
                Samples.process(9, "cat", "/usr/bin/cat", 1, Set.of(), "cat"));
        assertThat(found).extracting(f -> f.subject().exe().path()).containsExactly("/usr/bin/sleep", "/usr/bin/cat");
    }
}
