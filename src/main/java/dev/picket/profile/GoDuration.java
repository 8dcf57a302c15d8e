package dev.picket.profile;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Durations written the Kubernetes/Go way ({@code 10m}, {@code 5s}, {@code 1h30m}, {@code 1.5h},
 * {@code 250ms}): a sequence of decimal numbers each with a unit {@code ns}, {@code us} ({@code µs}),
 * {@code ms}, {@code s}, {@code m} or {@code h}; {@code 0} alone is zero. No sign, no days, no ISO-8601.
 */
public final class GoDuration {

    private static final int MAX_LENGTH = 64;

    private GoDuration() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException with the reason when the text is not a valid duration
     */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int start = i;
            while (i < n && (Character.isDigit(text.charAt(i)) && text.charAt(i) < 128 || text.charAt(i) == '.')) {
                i++;
            }
            String number = text.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw new IllegalArgumentException("expected a number at index " + start);
            }
            int unitStart = i;
            while (i < n && !Character.isDigit(text.charAt(i)) && text.charAt(i) != '.') {
                i++;
            }
            String unit = text.substring(unitStart, i);
            long unitNanos = switch (unit) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "" -> throw new IllegalArgumentException("missing unit after " + number
                        + " (use ns, us, ms, s, m or h, e.g. " + number + "s)");
                default -> throw new IllegalArgumentException("unknown unit " + Text.quote(unit)
                        + " (use ns, us, ms, s, m or h)");
            };
            nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos)));
        }
        BigDecimal whole = nanos.setScale(0, RoundingMode.DOWN);
        if (whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("is too long");
        }
        return Duration.ofNanos(whole.longValueExact());
    }

    /** The shortest exact form {@link #parse} reads back: {@code 0s}, {@code 1h30m}, {@code 2s500ms}. */
    public static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration " + d);
        }
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, d.toHours(), "h");
        append(sb, d.toMinutesPart(), "m");
        append(sb, d.toSecondsPart(), "s");
        int nano = d.toNanosPart();
        append(sb, nano / 1_000_000, "ms");
        append(sb, nano / 1_000 % 1_000, "us");
        append(sb, nano % 1_000, "ns");
        return sb.toString();
    }

    private static void append(StringBuilder sb, long value, String unit) {
        if (value != 0) {
            sb.append(value).append(unit);
        }
    }
}
