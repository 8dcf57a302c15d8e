package dev.picket.hardening.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** What every parser's output must satisfy, whatever bytes it was given. */
final class Invariants {

    private Invariants() {
    }

    /** No C0 control, DEL or C1 control: nothing a terminal or a log line reader would act on. */
    static void noControlCharacters(String what, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw new AssertionError(what + " holds the control character U+" + String.format("%04X", (int) c)
                        + " at " + i + ": " + escapeForMessage(text));
            }
        }
    }

    /** Text derived from n input bytes is at most 4 characters per byte ({@code \xNN}) plus a constant. */
    static void bounded(String what, String text, int inputBytes) {
        if (text.length() > 4L * inputBytes + 64) {
            throw new AssertionError(what + " is " + text.length() + " characters for " + inputBytes + " input bytes");
        }
    }

    /**
     * The inverse of {@code SafeText.decode}: {@code \\} is a backslash, {@code \xNN} a raw byte, every other
     * character its UTF-8 bytes. Decoding is unambiguous exactly when this gives back the input.
     */
    static byte[] unescape(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\\') {
                    out.write('\\');
                    i += 2;
                    continue;
                }
                if (i + 3 < text.length() && text.charAt(i + 1) == 'x') {
                    out.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
                    i += 4;
                    continue;
                }
                throw new AssertionError("a lone backslash at " + i + " of " + escapeForMessage(text));
            }
            int cp = text.codePointAt(i);
            out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            i += Character.charCount(cp);
        }
        return out.toByteArray();
    }

    static String escapeForMessage(String text) {
        StringBuilder b = new StringBuilder();
        text.codePoints().limit(400).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
                b.append(String.format("<U+%04X>", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 512); i++) {
            s.append(String.format("%02x", b[i] & 0xff));
        }
        return s + (b.length > 512 ? "..." : "");
    }
}
