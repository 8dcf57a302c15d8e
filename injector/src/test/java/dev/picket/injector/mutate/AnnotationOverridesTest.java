package dev.picket.injector.mutate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.picket.injector.golden.TestSettings;

/** Each invalid value is refused with a message that names its annotation; valid edge cases pass. */
class AnnotationOverridesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "picket.dev/sidecar-cpu-request | -10m",
            "picket.dev/sidecar-cpu-request | 10 m",
            "picket.dev/sidecar-cpu-limit | 0",
            "picket.dev/sidecar-cpu-limit | 1.5.0",
            "picket.dev/sidecar-memory-request | 64MB",
            "picket.dev/sidecar-memory-request | 300Mi",
            "picket.dev/sidecar-memory-limit | 128m",
            "picket.dev/sidecar-memory-limit | 32Mi",
            "picket.dev/sidecar-image | UPPER/case:1",
            "picket.dev/sidecar-image | ''",
            "picket.dev/mode | Enforce",
            "picket.dev/profile | -starts-with-dash",
            "picket.dev/profile | has space",
            "picket.dev/sidecar-native | 1",
            "picket.dev/sidecar-uid-mode | app"
    })
    void invalidValuesNameTheirAnnotation(String annotation, String value) {
        AnnotationOverrides.Result result = AnnotationOverrides.resolve(Map.of(annotation, value), TestSettings.sidecar());
        assertTrue(result.overrides().isEmpty(), annotation + "=" + value + " was accepted");
        assertEquals(1, result.problems().size(), result.problems().toString());
        assertTrue(result.problems().getFirst().contains(annotation), result.problems().getFirst());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "picket.dev/sidecar-cpu-limit | 2",
            "picket.dev/sidecar-cpu-limit | 1.5",
            "picket.dev/sidecar-cpu-limit | 2e0",
            "picket.dev/sidecar-memory-limit | 1Gi",
            "picket.dev/sidecar-memory-limit | 200M",
            "picket.dev/sidecar-memory-limit | 134217728",
            "picket.dev/sidecar-image | picket",
            "picket.dev/sidecar-image | localhost:5000/picket:dev",
            "picket.dev/profile | default",
            "picket.dev/mode | learn"
    })
    void validValuesAreAccepted(String annotation, String value) {
        AnnotationOverrides.Result result = AnnotationOverrides.resolve(Map.of(annotation, value), TestSettings.sidecar());
        assertEquals(java.util.List.of(), result.problems());
    }

    @Test
    void controlCharactersNeverReachTheMessage() {
        AnnotationOverrides.Result result = AnnotationOverrides.resolve(Map.of(
                PicketKeys.PROFILE_ANNOTATION, "bad\nname",
                PicketKeys.MODE_ANNOTATION, "x\r\n2026-01-01 INFO forged log line"), TestSettings.sidecar());
        assertEquals(2, result.problems().size());
        result.problems().forEach(p -> assertTrue(p.chars().noneMatch(Character::isISOControl), p));
    }
}
