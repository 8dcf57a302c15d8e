package dev.picket.profile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every example in docs/profiles.md is a real profile, and the catalogue table is the catalogue. */
class ProfileDocsTest {

    private static final Pattern BLOCK = Pattern.compile("```(yaml|text)\\n(.*?)```", Pattern.DOTALL);
    private static final String REFUSED = "# This profile is refused:";

    private static String doc;
    private static List<String[]> blocks;

    @BeforeAll
    static void read() throws IOException {
        doc = Files.readString(Path.of("docs/profiles.md"));
        blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(doc);
        while (m.find()) {
            blocks.add(new String[] {m.group(1), m.group(2)});
        }
    }

    @Test
    void everyExampleIsValidOrFailsExactlyAsShown() {
        int valid = 0;
        int refused = 0;
        for (int i = 0; i < blocks.size(); i++) {
            String[] b = blocks.get(i);
            if (!b[0].equals("yaml")) {
                continue;
            }
            Validated<WorkloadProfile> v = ProfileReader.read(b[1]);
            if (b[1].startsWith(REFUSED)) {
                String[] next = blocks.get(i + 1);
                assertEquals("text", next[0], "a refused example is followed by its messages");
                assertEquals(next[1].strip(), v.describe());
                refused++;
            } else {
                assertTrue(v.isValid(), () -> v.describe() + "\n" + b[1]);
                ProfileCompiler.compile(v.value(), "docs", 1);
                valid++;
            }
        }
        assertEquals(8, valid);
        assertEquals(2, refused);
    }

    @Test
    void theCompleteProfileIsTheIssueExample() {
        assertEquals(Docs.resource("issue-example.yaml"), blocks.getFirst()[1]);
    }

    @Test
    void theEmbeddedDefaultShownIsTheOneShipped() {
        String shipped = Docs.resource("default.yaml");
        String withoutComments = shipped.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n", "", "\n"));
        assertTrue(blocks.stream().anyMatch(b -> b[1].equals(withoutComments)), withoutComments);
    }

    @Test
    void theCatalogueTableListsEveryRuleAsTheCodeDefinesIt() {
        for (ThreatRule r : ThreatRule.values()) {
            String row = "| `" + r.id() + "` | " + r.severity() + " | " + r.techniqueId() + " " + r.techniqueName() + " | ";
            assertTrue(doc.contains(row), row);
            assertTrue(doc.contains("- **" + r.id() + " → " + r.techniqueId() + ".**"), r.id() + " has a justification");
        }
    }

    /** The table of which exception fields each rule has lists every rule, with exactly the fields the code allows. */
    @Test
    void theExceptionFieldTableIsTheCatalogues() {
        String table = doc.substring(doc.indexOf("| Rule | `exe` / `parent` match |"));
        table = table.substring(0, table.indexOf("\n\n"));
        for (ThreatRule r : ThreatRule.values()) {
            String row = table.lines().filter(l -> l.contains("`" + r.id() + "`")).findFirst()
                    .orElseThrow(() -> new AssertionError(r.id() + " is not in the exception field table"));
            String[] cells = row.strip().split(" \\| "); // "| rules", "exe / parent", "cidr / ports |"
            boolean process = !cells[1].startsWith("refused");
            boolean remote = !cells[2].startsWith("refused");
            assertEquals(r.exceptionFields().contains("exe"), process, row);
            assertEquals(r.exceptionFields().contains("cidr"), remote, row);
        }
    }

    @Test
    void theLimitsShownAreTheLimitsEnforced() {
        assertTrue(doc.contains("| Document size | 1 MiB (" + ProfileLimits.MAX_DOCUMENT_BYTES + " bytes) |"));
        assertTrue(doc.contains("| Nesting of mappings and lists | " + ProfileLimits.MAX_NESTING_DEPTH + " levels |"));
        assertTrue(doc.contains("At most " + ProfileLimits.MAX_PROBLEMS + " problems are listed"));
        assertTrue(doc.contains("≤ " + ProfileLimits.MAX_PROCESS_RULES + " entries | An exec is allowed"));
        assertTrue(doc.contains("≤ " + ProfileLimits.MAX_EGRESS_RULES + " entries | A connection is allowed"));
        assertTrue(doc.contains("≤ " + ProfileLimits.MAX_LISTEN_RULES + " entries | A listening socket"));
        assertTrue(doc.contains("≤ " + ProfileLimits.MAX_PORTS_PER_RULE + " entries, each 1–65535"));
        assertTrue(doc.contains("≤ " + ProfileLimits.MAX_DISABLED_THREATS + " entries | Built-in threat rules"));
        assertTrue(doc.contains("≤ " + ProfileLimits.MAX_THREAT_EXCEPTIONS + " entries | Findings of a threat rule"));
        assertTrue(doc.contains("| one line, ≤ " + ProfileLimits.MAX_EXCEPTION_REASON_LENGTH + " characters | Why"));
        assertTrue(doc.contains("| 1–" + ProfileLimits.MAX_PORTS_PER_RULE + " entries, each 1–65535; connection rules only |"));
        assertTrue(doc.contains("| 1–" + ProfileLimits.MAX_IMAGE_REPOSITORIES + " entries, each ≤ "
                + ProfileLimits.MAX_IMAGE_PATTERN_LENGTH + " characters | Injector only"));
        assertTrue(doc.contains("| 1–" + ProfileLimits.MAX_DENY_TAGS + " entries | Injector only"));
    }
}
