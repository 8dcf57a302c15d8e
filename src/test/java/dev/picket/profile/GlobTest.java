package dev.picket.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Glob semantics: the JDK's glob syntax and meaning, matched in linear time. */
class GlobTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /usr/bin/python3*      | /usr/bin/python3            | true
            /usr/bin/python3*      | /usr/bin/python3.11         | true
            /usr/bin/python3*      | /usr/bin/python3/x          | false
            /usr/bin/python3*      | /usr/local/bin/python3      | false
            /usr/*/python3         | /usr/bin/python3            | true
            /usr/*/python3         | /usr/local/bin/python3      | false
            /usr/**/python3        | /usr/local/bin/python3      | true
            /usr/**                | /usr/lib/jvm/bin/java       | true
            **/python3             | /opt/app/venv/bin/python3   | true
            **                     | /anything/at/all            | true
            /bin/?ash              | /bin/bash                   | true
            /bin/?ash              | /bin/ash                    | false
            /bin/{sh,bash,dash}    | /bin/dash                   | true
            /bin/{sh,bash,dash}    | /bin/zsh                    | false
            /{usr/,}bin/sh         | /usr/bin/sh                 | true
            /{usr/,}bin/sh         | /bin/sh                     | true
            /bin/[bd]ash           | /bin/dash                   | true
            /bin/[!bd]ash          | /bin/dash                   | false
            /bin/[!bd]ash          | /bin/rash                   | true
            /opt/v[0-9]/run        | /opt/v7/run                 | true
            /opt/v[0-9]/run        | /opt/vx/run                 | false
            /opt/a[-_]b            | /opt/a-b                    | true
            /opt/a\\*b             | /opt/a*b                    | true
            /opt/a\\*b             | /opt/axb                    | false
            /bin/sh                | /bin/sh/                    | true
            /bin/sh                | //bin//sh                   | true
            /bin/sh                | /bin/sh (deleted)           | false
            /tmp/*                 | /tmp/.hidden                | true
            """)
    void matchesLikeTheJdk(String glob, String path, boolean expected) {
        assertEquals(expected, Glob.compile(glob).matches(path));
        assertEquals(expected, FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(path)));
    }

    @Test
    void literalGlobsAreMarkedForTheFastPath() {
        assertTrue(Glob.compile("/usr/bin/python3").isLiteral());
        assertTrue(Glob.compile("/opt/a\\*b").isLiteral());
        assertFalse(Glob.compile("/usr/bin/python3*").isLiteral());
        assertTrue(Glob.compile("/bin/{sh}").isLiteral());
        assertFalse(Glob.compile("/bin/{sh,bash}").isLiteral());
        assertFalse(Glob.compile("/usr/bin/python3").matches(null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /bin/[a                          | Missing '] at index 6
            /{a,{b}}                         | Cannot nest groups at index 4
            /{a,b                            | Missing '} at index 4
            /a\\                             | No character to escape at index 2
            /x[a/b]                          | Explicit 'name separator' in class at index 4
            /x[z-a]                          | Invalid range at index 3
            /x[--a]                          | Invalid range at index 4
            {a,b}{a,b}{a,b}{a,b}{a,b}{a,b}   | expands to more than 32 alternatives
            ''                               | is empty
            """)
    void refusesInvalidGlobsWithTheReason(String glob, String reason) {
        assertEquals(reason, assertThrows(IllegalArgumentException.class, () -> Glob.compile(glob)).getMessage());
    }

    @Test
    void refusesControlCharactersAndOverlongGlobs() {
        assertEquals("contains a control character at index 2",
                assertThrows(IllegalArgumentException.class, () -> Glob.compile("/a\nb")).getMessage());
        assertEquals("is 1025 characters long, at most 1024 are allowed",
                assertThrows(IllegalArgumentException.class, () -> Glob.compile("/" + "a".repeat(1024))).getMessage());
    }

    /**
     * The JDK's matcher takes minutes on this (a backtracking regex); ours must not, since the workload names
     * its own executables.
     */
    @Test
    void hostilePathsMatchInLinearTime() {
        Glob glob = Glob.compile("/*a*a*a*a*a*a*a*a*b");
        String hostile = "/" + "a".repeat(4000);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (int i = 0; i < 10; i++) {
                assertFalse(glob.matches(hostile));
            }
        });
        Glob deep = Glob.compile("/**a**a**a**a**a**a**b");
        String hostileDeep = "/" + "a/".repeat(2000);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertFalse(deep.matches(hostileDeep)));
    }

    /** Generated patterns and paths: same acceptance of syntax where the JDK refuses, same answers where both accept. */
    @Test
    void agreesWithTheJdkOnGeneratedPatterns() {
        String[] patternParts = {"/", "a", "b", ".", "*", "**", "?", "[ab]", "[!a]", "[a-c]", "[-a]", "[a-]", "{a,b}",
                "{a/,b*}", "{,a}", "\\*", "-", ",", "}", "[", "\\", "&", "[&&]", "é", "😀"};
        String[] pathParts = {"/", "/", "a", "b", "c", ".", "-", "*", ",", "}", "&", "é", "😀", "\n", "ab"};
        Random random = new Random(20261128);
        int compared = 0;
        for (int i = 0; i < 30_000; i++) {
            StringBuilder g = new StringBuilder();
            for (int k = random.nextInt(6) + 1; k > 0; k--) {
                g.append(patternParts[random.nextInt(patternParts.length)]);
            }
            String glob = g.toString();
            PathMatcher jdk;
            try {
                jdk = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (RuntimeException e) {
                assertThrows(IllegalArgumentException.class, () -> Glob.compile(glob), glob);
                continue;
            }
            Glob ours;
            try {
                ours = Glob.compile(glob);
            } catch (IllegalArgumentException e) {
                continue;
            }
            for (int j = 0; j < 20; j++) {
                StringBuilder p = new StringBuilder();
                for (int k = random.nextInt(7); k > 0; k--) {
                    p.append(pathParts[random.nextInt(pathParts.length)]);
                }
                String path = p.toString();
                assertEquals(jdk.matches(Path.of(path)), ours.matches(path), () -> glob + " ~ " + path.replace("\n", "\\n"));
                compared++;
            }
        }
        assertTrue(compared > 300_000, "compared " + compared);
    }
}
