package dev.picket.observe;

/**
 * Turns raw bytes from /proc (argv, comm) into text that is safe to log and compare. The kernel stores
 * whatever bytes a process chose, so: valid UTF-8 stays as is, every invalid byte and every control
 * character becomes {@code \xNN}, and a backslash becomes {@code \\}, which keeps the result
 * unambiguous and stops a process from forging log lines with newlines in its argv.
 */
public final class SafeText {

    private SafeText() {
    }

    public static String decode(byte[] b, int from, int to) {
        StringBuilder out = null;
        int i = from;
        while (i < to) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                if (out != null) {
                    out.append((char) c);
                }
                i++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder(to - from + 16);
                for (int k = from; k < i; k++) {
                    out.append((char) b[k]);
                }
            }
            if (c == '\\') {
                out.append("\\\\");
                i++;
                continue;
            }
            int len = utf8Length(b, i, to);
            if (len > 0) {
                out.append(new String(b, i, len, java.nio.charset.StandardCharsets.UTF_8));
                i += len;
            } else {
                escape(out, c);
                i++;
            }
        }
        return out == null ? new String(b, from, to - from, java.nio.charset.StandardCharsets.US_ASCII) : out.toString();
    }

    private static void escape(StringBuilder out, int c) {
        out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
    }

    /** Length of a well-formed multi-byte UTF-8 sequence starting at {@code i}, or 0. */
    private static int utf8Length(byte[] b, int i, int to) {
        int c = b[i] & 0xff;
        int len;
        int min;
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
            min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + len > to) {
            return 0;
        }
        int cp = c & (0x3f >> (len - 1));
        for (int k = 1; k < len; k++) {
            int cc = b[i + k] & 0xff;
            if ((cc & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (cc & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        // C1 controls are as dangerous as C0 ones in a terminal
        if (cp >= 0x80 && cp < 0xa0) {
            return 0;
        }
        return len;
    }
}
