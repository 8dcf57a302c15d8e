package dev.picket.hardening.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.picket.observe.Argv;
import dev.picket.observe.SafeText;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * {@code /proc/PID/cmdline} (argv, NUL-separated, any bytes a process chose) through {@code Argv} and
 * {@code SafeText}: never throws, no control character reaches the text (a newline in argv must not forge a log
 * line), the text is bounded by the bytes, the cut at the byte limit is kept, and the escaping is unambiguous: the
 * bytes can be recovered from the text exactly. Seeds: {@code proc-samples/cmdline-*} (the 200 kB one cut to its
 * first 4 KiB) and argv of real processes.
 */
class CmdlineFuzzTest {

    static final int LIMIT = 4096;

    @FuzzTest
    void cmdline(byte[] data) {
        int len = Math.min(data.length, LIMIT);
        Argv argv = ProcParsers.argv(data, len, data.length > LIMIT);
        if (argv.truncated() != data.length > LIMIT) {
            throw new AssertionError("truncated is " + argv.truncated() + " for " + data.length + " bytes");
        }
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        for (int i = 0; i < argv.args().size(); i++) {
            String arg = argv.args().get(i);
            Invariants.noControlCharacters("argv[" + i + "]", arg);
            if (i > 0) {
                rebuilt.write(0);
            }
            rebuilt.writeBytes(Invariants.unescape(arg));
        }
        if (len > 0 && data[len - 1] == 0) {
            rebuilt.write(0);
        }
        byte[] read = Arrays.copyOf(data, len);
        if (!Arrays.equals(rebuilt.toByteArray(), read)) {
            throw new AssertionError("argv " + argv.args() + " does not give back its bytes " + Invariants.hex(read));
        }
        String joined = argv.joined();
        Invariants.noControlCharacters("argv", joined);
        Invariants.bounded("argv", joined, len);

        String text = SafeText.decode(data, 0, data.length);
        Invariants.noControlCharacters("text", text);
        Invariants.bounded("text", text, data.length);
        if (!Arrays.equals(Invariants.unescape(text), data)) {
            throw new AssertionError("SafeText is ambiguous: " + Invariants.escapeForMessage(text) + " from "
                    + Invariants.hex(data));
        }
    }
}
