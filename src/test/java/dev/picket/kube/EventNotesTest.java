package dev.picket.kube;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class EventNotesTest {

    @Test
    void aShortNoteStaysAsItIsOnOneLine() {
        assertThat(EventNotes.note("exec of /tmp/x\nnot allowed", 1024)).isEqualTo("exec of /tmp/x not allowed");
    }

    @Test
    void aLongNoteIsCutUnderOneKibibyteWithAnEllipsis() {
        String note = EventNotes.note("a".repeat(5000), 1024);
        assertThat(note.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
        assertThat(note).endsWith("…");
    }

    @Test
    void multiByteCharactersAndSurrogatePairsAreNeverSplit() {
        for (int pad = 0; pad < 4; pad++) {
            String text = "x".repeat(pad) + "é😀漢".repeat(400);
            String note = EventNotes.note(text, 1024);
            byte[] bytes = note.getBytes(StandardCharsets.UTF_8);
            assertThat(bytes.length).isLessThanOrEqualTo(1024);
            assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(note);
            String body = note.substring(0, note.length() - 1);
            assertThat(text).startsWith(body);
            assertThat(Character.isHighSurrogate(body.charAt(body.length() - 1))).isFalse();
        }
    }

    @Test
    void aConfiguredLimitAboveTheApiServersIsCapped() {
        assertThat(EventNotes.note("b".repeat(4000), 100_000).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
        assertThat(EventNotes.note("b".repeat(4000), 200).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(200);
    }

    @Test
    void timesHaveMicroseconds() {
        assertThat(EventNotes.micro(Instant.parse("2026-11-29T01:02:03.123456789Z")).getTime())
                .isEqualTo("2026-11-29T01:02:03.123456Z");
    }
}
