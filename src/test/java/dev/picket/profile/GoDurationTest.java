package dev.picket.profile;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GoDurationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            0        | PT0S         | 0s
            5s       | PT5S         | 5s
            10m      | PT10M        | 10m
            1h30m    | PT1H30M      | 1h30m
            1.5h     | PT1H30M      | 1h30m
            90m      | PT1H30M      | 1h30m
            250ms    | PT0.25S      | 250ms
            2s500ms  | PT2.5S       | 2s500ms
            1us      | PT0.000001S  | 1us
            1µs      | PT0.000001S  | 1us
            7ns      | PT0.000000007S | 7ns
            2160h    | PT2160H      | 2160h
            .5s      | PT0.5S       | 500ms
            """)
    void parsesGoDurationsAndFormatsThemBack(String text, String iso, String formatted) {
        Duration d = GoDuration.parse(text);
        assertEquals(Duration.parse(iso), d);
        assertEquals(formatted, GoDuration.format(d));
        assertEquals(d, GoDuration.parse(GoDuration.format(d)));
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', textBlock = """
            ''                      | is empty
            10                      | missing unit after 10 (use ns, us, ms, s, m or h, e.g. 10s)
            1h30                    | missing unit after 30 (use ns, us, ms, s, m or h, e.g. 30s)
            -5s                     | expected a number at index 0
            5 s                     | unknown unit " s" (use ns, us, ms, s, m or h)
            1d                      | unknown unit "d" (use ns, us, ms, s, m or h)
            PT5S                    | expected a number at index 0
            1..5s                   | expected a number at index 0
            .s                      | expected a number at index 0
            99999999999999999999h   | is too long
            5s5                     | missing unit after 5 (use ns, us, ms, s, m or h, e.g. 5s)
            """)
    void refusesWithTheReason(String text, String reason) {
        assertEquals(reason, assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text)).getMessage());
    }
}
