package dev.picket.judge;

import dev.picket.profile.Profile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scan can land between a fork and its exec: the child is then a copy of its parent, same executable,
 * never exec'd. Measured with a real Python service running {@code sleep} through subprocess and scans 3 ms
 * apart, 1 child in 93 was caught that way; at the sidecar's 1 s interval a service that runs a helper every
 * second is caught about every quarter of an hour. When the service itself was started by a shell (an
 * entrypoint script), "python started by python" is not in its learned profile, so the copy was a PROCESS
 * violation, and in enforce mode the helper was killed before it ran. A process seen for the first time as a
 * copy of its parent is judged at the next scan, as what it has become by then.
 */
class ForkBeforeExecScanTest {

    private static final String SH = "/usr/bin/dash";
    private static final String PYTHON = "/usr/bin/python3.11";
    private static final String SLEEP = "/usr/bin/sleep";

    /** What a service started by an entrypoint script learns: python under sh, sleep under python. */
    private static final Profile LEARNED = Profiles.spec("""
            processes:
              allow:
                - exe: /usr/bin/dash
                - exe: /usr/bin/python3.11
                  parent: /usr/bin/dash
                - exe: /usr/bin/sleep
                  parent: /usr/bin/python3.11
              allowRoot: true
            """);

    private static List<Finding> judge(Profile profile, List<List<dev.picket.observe.ProcessSample>> scans) {
        Judge judge = new Judge(JudgeContext.NONE);
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < scans.size(); i++) {
            out.addAll(judge.judge(Samples.snapshot(i + 1, scans.get(i)), profile).fresh());
        }
        return out;
    }

    @Test
    void aChildCaughtBeforeItsExecIsJudgedAsWhatItExecs() {
        var service = Samples.child(10, 1, PYTHON, SH, 0, 1, "python3", "app.py");
        List<Finding> found = judge(LEARNED, List.of(
                List.of(service, Samples.child(11, 10, PYTHON, PYTHON, 0, 1, "python3", "app.py")),
                List.of(service, Samples.child(11, 10, SLEEP, PYTHON, 1, 1, "sleep", "0.4"))));
        assertThat(found).isEmpty();
    }

    @Test
    void aForkThatStaysACopyOfItsParentIsJudgedOneScanLater() {
        var service = Samples.child(10, 1, PYTHON, SH, 0, 1, "python3", "app.py");
        var worker = Samples.child(12, 10, PYTHON, PYTHON, 0, 1, "python3", "app.py");
        List<Finding> found = judge(LEARNED, List.of(List.of(service, worker), List.of(service, worker)));
        assertThat(found).extracting(f -> f.subject().pid()).containsExactly(12);
        assertThat(found.getFirst().rule()).isEqualTo(ProcessAllowlistRule.NOT_ALLOWED);
    }

    @Test
    void aChildThatExecsSomethingElseIsJudgedAtFirstSight() {
        var service = Samples.child(10, 1, PYTHON, SH, 0, 1, "python3", "app.py");
        List<Finding> found = judge(LEARNED, List.of(
                List.of(service, Samples.child(13, 10, "/usr/bin/tail", PYTHON, 0, 1, "tail", "-f", "/dev/null"))));
        assertThat(found).extracting(f -> f.subject().pid()).containsExactly(13);
    }
}
