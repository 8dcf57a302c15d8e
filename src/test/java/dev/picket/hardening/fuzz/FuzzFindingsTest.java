package dev.picket.hardening.fuzz;

import dev.picket.profile.ProfileCompiler;
import dev.picket.profile.ValidationProblem;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every finding of the sidecar's fuzz targets, by name, on the exact input (a seed file the fuzz target replays too).
 * A finding in code this suite owns is fixed with its test; one elsewhere is reported, and its test waits here,
 * disabled with the finding's id ({@link KnownFindings}).
 */
class FuzzFindingsTest {

    static byte[] seed(String target, String name) throws IOException {
        try (InputStream in = FuzzFindingsTest.class.getResourceAsStream(target + "Inputs/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aHostileCommWithNewlineEscapeAndParenthesesIsReadSafely() throws IOException {
        byte[] stat = seed("StatFuzzTest", "stat/stat-newline-comm");
        String comm = ProcParsers.statComm(stat, stat.length);
        assertThat(comm).isEqualTo("a\\x0a) (b\\x1b[2J");
    }

    @Test
    void aHostileUnixSocketPathIsReadSafely() throws IOException {
        byte[] table = seed("UnixTableFuzzTest", "unix/net-unix-hostile-paths");
        var rows = new ProcParsers.Tables().unix(table, table.length);
        assertThat(rows).anySatisfy(r -> assertThat(r.path()).isEqualTo("/tmp/sock (x)\\x1b"));
        assertThat(rows).allSatisfy(r -> {
            if (r.path() != null) {
                Invariants.noControlCharacters("path", r.path());
            }
        });
    }

    /**
     * The kernel prints a unix socket's name in /proc/net/unix as it is, newlines included: a process that binds
     * the abstract name {@code "x\n0000000000000000: 00000002 00000000 00010000 0001 01 424242
     * /run/containerd/containerd.sock"} (as the seed's row was made, on this kernel) adds a line of its choosing,
     * here a listening container-runtime socket that does not exist.
     */
    @Test
    @Disabled("F4, mitigated in the judge (an unowned runtime socket raises nothing): the forged row itself remains "
            + "until the scanner reads unix sockets through netlink; enable then")
    void aUnixSocketNameCannotForgeARow() throws IOException {
        byte[] table = seed("UnixTableFuzzTest", "unix/net-unix-hostile-paths");
        var rows = new ProcParsers.Tables().unix(table, table.length);
        assertThat(rows).noneSatisfy(r -> assertThat(r.inode()).isEqualTo(424242L));
    }

    @Test
    void aNewlineInAFieldNameDoesNotReachTheProblemPath() throws IOException {
        var read = ProfileCompiler.fromYaml(seed("ProfileFuzzTest", "profile/f1-newline-in-field-name.yaml"), "test", 1);
        assertThat(read.isValid()).isFalse();
        for (ValidationProblem p : read.problems()) {
            Invariants.noControlCharacters("path", p.path());
            Invariants.noControlCharacters("message", p.message());
        }
    }
}
