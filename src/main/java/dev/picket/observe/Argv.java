package dev.picket.observe;

import java.util.ArrayList;
import java.util.List;

/** A process's argument vector as text safe to log, cut at a byte limit. */
public record Argv(List<String> args, boolean truncated) {

    public static final Argv EMPTY = new Argv(List.of(), false);

    /** Splits NUL-separated cmdline bytes; {@code truncated} tells that more bytes existed than were read. */
    static Argv parse(byte[] b, int len, boolean truncated) {
        if (len == 0) {
            return EMPTY;
        }
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < len; i++) {
            if (b[i] == 0) {
                args.add(SafeText.decode(b, start, i));
                start = i + 1;
            }
        }
        if (start < len) {
            args.add(SafeText.decode(b, start, len));
        }
        return new Argv(List.copyOf(args), truncated);
    }

    public String joined() {
        return String.join(" ", args) + (truncated ? " …" : "");
    }
}
