package dev.picket.injector.policy;

/**
 * The globs of {@code spec.images}: {@code *} any characters but {@code /}, {@code **} any characters,
 * {@code ?} one character but {@code /}, everything else itself, matched against the whole text. The same meaning
 * as the sidecar's process globs for these three; matched by dynamic programming over pattern and text, so the
 * time is bounded by their lengths' product and a hostile pattern cannot backtrack.
 */
public final class Wildcards {

    private static final char STAR = '\uE000';
    private static final char DOUBLE_STAR = '\uE001';
    private static final char ONE = '\uE002';

    private Wildcards() {
    }

    public static boolean matches(String pattern, String text) {
        char[] p = tokens(pattern);
        // reachable[j]: the pattern read so far can have matched the first j characters of the text
        boolean[] reachable = new boolean[text.length() + 1];
        reachable[0] = true;
        for (char token : p) {
            boolean[] next = new boolean[text.length() + 1];
            for (int j = 0; j <= text.length(); j++) {
                if (token == DOUBLE_STAR) {
                    next[j] = reachable[j] || j > 0 && next[j - 1];
                } else if (token == STAR) {
                    next[j] = reachable[j] || j > 0 && next[j - 1] && text.charAt(j - 1) != '/';
                } else if (j > 0 && reachable[j - 1]) {
                    char c = text.charAt(j - 1);
                    next[j] = token == ONE ? c != '/' : c == token;
                }
            }
            reachable = next;
        }
        return reachable[text.length()];
    }

    private static char[] tokens(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length());
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    out.append(DOUBLE_STAR);
                    while (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                        i++;
                    }
                } else {
                    out.append(STAR);
                }
            } else if (c == '?') {
                out.append(ONE);
            } else {
                out.append(c);
            }
        }
        return out.toString().toCharArray();
    }
}
