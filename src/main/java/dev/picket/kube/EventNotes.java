package dev.picket.kube;

import io.fabric8.kubernetes.api.model.MicroTime;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Text rules of {@code events.k8s.io/v1}: notes under 1 KiB, bounded fields, micro-second timestamps. */
final class EventNotes {

    /** What the API server accepts for {@code note}. */
    static final int MAX_NOTE_BYTES = 1024;
    private static final String ELLIPSIS = "…";
    private static final DateTimeFormatter MICRO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private EventNotes() {
    }

    /**
     * {@code text} on one line (control characters become spaces) and at most {@code maxBytes} bytes of UTF-8,
     * cut at a character boundary (never inside a surrogate pair or a multi-byte sequence) and ending with an
     * ellipsis when cut.
     */
    static String note(String text, int maxBytes) {
        int limit = Math.max(4, Math.min(maxBytes, MAX_NOTE_BYTES));
        StringBuilder clean = new StringBuilder(text.length());
        text.chars().forEach(c -> clean.append(Character.isISOControl(c) ? ' ' : (char) c));
        String s = clean.toString();
        if (s.getBytes(StandardCharsets.UTF_8).length <= limit) {
            return s;
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer out = ByteBuffer.allocate(limit - ELLIPSIS.getBytes(StandardCharsets.UTF_8).length);
        // stops at the last whole character that fits: never inside a multi-byte sequence or a surrogate pair
        encoder.encode(CharBuffer.wrap(s), out, true);
        out.flip();
        return StandardCharsets.UTF_8.decode(out) + ELLIPSIS;
    }

    /** At most {@code max} characters (for reason, action, reportingInstance: 128). */
    static String bounded(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    static MicroTime micro(Instant t) {
        return new MicroTime(MICRO.format(t));
    }
}
