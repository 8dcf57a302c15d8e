package dev.picket.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Documents no one should write: refused with a reason, in bounded time, never with an exception. */
class HostileDocumentTest {

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ''                  | <document>: the profile is empty
            '   '               | <document>: the profile is empty
            ---                 | <document>: the profile is empty
            ~                   | <document>: the profile is empty
            '# only a comment'  | <document>: the profile is empty
            '- a'               | <document>: must be a mapping with the fields apiVersion, kind, metadata, spec, status; got a list
            'just text'         | <document>: must be a mapping with the fields apiVersion, kind, metadata, spec, status; got the string "just text"
            'a: ['              | <document>: not valid YAML: line 1, column 5: expected the node content, but found '<stream end>'
            'a: b: c'           | <document>: not valid YAML: line 1, column 5: mapping values are not allowed here
            """)
    void refusesEmptyAndMalformedDocuments(String yaml, String expected) {
        assertEquals(expected, ProfileReader.read(yaml.replace("'", "")).describe());
    }

    @Test
    void refusesGarbageBytes() {
        assertEquals("<document>: not valid YAML: line 1, column 1: Invalid UTF-8 start byte 0xff (at char #1, byte #-1)",
                ProfileReader.read(new byte[] {(byte) 0xff, (byte) 0xfe, 0x41, (byte) 0xc3, 0x28}).describe());
        assertEquals("<document>: not valid YAML: line 1, column 1: special characters are not allowed",
                ProfileReader.read(new byte[] {0, 1, 2, 3}).describe());
        assertFalse(ProfileReader.read((byte[]) null).isValid());
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 2_000; i++) {
                byte[] bytes = new byte[random.nextInt(400)];
                random.nextBytes(bytes);
                Validated<WorkloadProfile> v = ProfileReader.read(bytes);
                assertEquals(v.isValid(), v.problems().isEmpty());
            }
        });
    }

    @Test
    void randomMutationsOfAValidProfileNeverThrow() {
        byte[] valid = Docs.resource("issue-example.yaml").getBytes(StandardCharsets.UTF_8);
        byte[] alphabet = " :-[]{}#&*!|>'\"%@`,?\n\t0123456789abcxyz./\\~".getBytes(StandardCharsets.US_ASCII);
        Random random = new Random(7);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 3_000; i++) {
                byte[] bytes = valid.clone();
                for (int k = random.nextInt(6) + 1; k > 0; k--) {
                    bytes[random.nextInt(bytes.length)] = alphabet[random.nextInt(alphabet.length)];
                }
                Validated<WorkloadProfile> v = ProfileReader.read(bytes);
                if (v.isValid()) {
                    ProfileCompiler.compile(v.value(), "fuzz", 1);
                }
            }
        });
    }

    @Test
    void refusesAliasesIncludingTheBillionLaughs() {
        String laughs = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
                """;
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertEquals(
                "b[0]: line 2, column 8: YAML aliases (*a) are not supported; write the value out",
                ProfileReader.read(laughs).describe()));
    }

    @Test
    void refusesAScalarAliasThatWouldOtherwiseTurnIntoTheAnchorName() {
        String yaml = Docs.withSpec("""
                processes:
                  allow:
                    - exe: &py /usr/bin/python3
                    - exe: /bin/sh
                      parent: *py
                """);
        assertEquals("spec.processes.allow[1].parent: line 10, column 17: YAML aliases (*py) are not supported; "
                + "write the value out", ProfileReader.read(yaml).describe());
    }

    @Test
    void refusesDeepNesting() {
        String deep = "a: " + "[".repeat(10_000) + "]".repeat(10_000);
        Validated<WorkloadProfile> v = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> ProfileReader.read(deep));
        assertEquals("<document>: line 1, column 35: nested deeper than 32 levels", v.describe());
    }

    @Test
    void refusesDuplicateKeys() {
        assertEquals("<document>: not valid YAML: line 7, column 7: Duplicate field 'mode'",
                ProfileReader.read(Docs.withSpec("mode: enforce\nmode: learn")).describe());
    }

    @Test
    void refusesMoreThanOneDocument() {
        assertEquals("<document>: line 8, column 1: the file holds more than one YAML document; put one profile per file",
                ProfileReader.read(Docs.withSpec("mode: enforce") + "---\n" + Docs.HEADER).describe());
    }

    @Test
    void refusesTaggedAndBinaryValues() {
        assertEquals("spec.mode: must be a string, got a binary or tagged value",
                ProfileReader.read(Docs.withSpec("mode: !!binary ZW5mb3JjZQ==")).describe());
    }

    @Test
    void refusesAHugeSingleString() {
        String yaml = Docs.withSpec("processes: {allow: [{exe: \"/" + "a".repeat(100_000) + "\"}]}");
        assertTrue(ProfileReader.read(yaml).describe().startsWith(
                "spec.processes.allow[0].exe: is 100001 characters long, at most 4096 are allowed"));
    }
}
