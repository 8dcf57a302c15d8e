package dev.picket.profile;

import java.util.regex.Pattern;

/** Renders user-supplied text safely inside messages and logs: quoted, escaped, cut short. */
final class Text {

    private static final int MAX_QUOTED = 80;
    /** {@code java.io.CharConversionException: } in front of a parser's message says nothing to a user. */
    private static final Pattern JAVA_EXCEPTION_PREFIX =
            Pattern.compile("^([a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error): ");

    private Text() {
    }

    /** {@code "value"} with control characters, quotes and backslashes escaped, cut at 80 characters. */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_QUOTED) + 8).append('"');
        int n = Math.min(s.length(), MAX_QUOTED);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                            || Character.getType(c) == Character.LINE_SEPARATOR
                            || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
        if (s.length() > MAX_QUOTED) {
            sb.append("… (").append(s.length()).append(" characters)");
        }
        return sb.toString();
    }

    /** A free-form message (e.g. from a parser) on one line, without control characters, at most 200 characters. */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        s = JAVA_EXCEPTION_PREFIX.matcher(s).replaceFirst("");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 200; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return sb.toString().strip();
    }
}
