package dev.picket.injector.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Repository and tag globs: *, ** and ?, the same meaning as the JDK's glob for these three. */
class WildcardsTest {

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource(delimiter = '|', textBlock = """
            registry.example.com/team/*      | registry.example.com/team/api         | true
            registry.example.com/team/*      | registry.example.com/team/tools/curl  | false
            registry.example.com/team/**     | registry.example.com/team/tools/curl  | true
            registry.example.com/team/**     | registry.example.com/other/api        | false
            */library/*                      | docker.io/library/nginx               | true
            */library/*                      | docker.io/bitnami/nginx               | false
            **                               | anything/at/all                       | true
            docker.io/library/python         | docker.io/library/python              | true
            docker.io/library/python         | docker.io/library/python3             | false
            registry.example.com:5000/**     | registry.example.com:5000/a/b         | true
            registry.example.com:5000/**     | registry.example.com:5001/a/b         | false
            registry.example.com:50?0/*      | registry.example.com:5000/a           | true
            latest                           | latest                                | true
            *-SNAPSHOT                       | 3.0-SNAPSHOT                          | true
            *-SNAPSHOT                       | 3.0-snapshot                          | false
            v?.*                             | v1.27                                 | true
            ?                                | /                                     | false
            a*b*c                            | a/b/c                                 | false
            a**c                             | a/b/c                                 | true
            """)
    void matchesTheWholeText(String pattern, String text, boolean expected) {
        assertEquals(expected, Wildcards.matches(pattern, text));
    }

    @Test
    void agreesWithTheJdkGlobOnGeneratedCases() {
        Random random = new Random(10);
        String alphabet = "ab/";
        String[] tokens = {"a", "b", "/", "*", "**", "?"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder pattern = new StringBuilder();
            for (int n = random.nextInt(6); n >= 0; n--) {
                pattern.append(tokens[random.nextInt(tokens.length)]);
            }
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String p = pattern.toString().replaceAll("\\*{3,}", "**");
            String t = text.toString();
            if (t.isEmpty() || t.contains("//") || t.endsWith("/") && t.length() > 1) {
                continue; // not a repository name, and Path would normalise it
            }
            boolean jdk = FileSystems.getDefault().getPathMatcher("glob:" + p).matches(Path.of(t));
            assertEquals(jdk, Wildcards.matches(p, t), p + " ~ " + t);
        }
    }

    @Test
    void aHostilePatternTakesTimeProportionalToItsLength() {
        String pattern = "*a".repeat(200) + "b";
        String text = "a".repeat(255);
        long start = System.nanoTime();
        assertFalse(Wildcards.matches(pattern, text));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertFalse(millis > 500, "took " + millis + " ms");
    }
}
