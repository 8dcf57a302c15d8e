package dev.picket.injector.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** docs/injector.md documents every reason code of the admission policies, and the allowed capabilities as coded. */
class PolicyDocsTest {

    private static String doc() throws IOException {
        return Files.readString(Path.of(System.getProperty("user.dir")).resolve("../docs/injector.md").normalize());
    }

    @Test
    void everyFindingCodeIsDocumented() throws IOException {
        String doc = doc();
        for (FindingRule rule : FindingRule.values()) {
            // a table row, or (profile_unresolved) the paragraph on unresolvable profiles
            assertTrue(doc.contains("| `" + rule.code() + "` |") || doc.contains("(finding\n`" + rule.code() + "`)"),
                    rule.code() + " is not in docs/injector.md");
        }
    }

    @Test
    void theAllowedCapabilitiesShownAreTheOnesEnforced() throws IOException {
        Matcher m = Pattern.compile("\\*\\*Allowed capabilities\\*\\*: the Pod Security baseline list without the two"
                + " that reach across to Picket:\\s+(.*?)\\. Left out", Pattern.DOTALL).matcher(doc());
        assertTrue(m.find(), "the allowed capabilities paragraph");
        Set<String> documented = Arrays.stream(m.group(1).split(","))
                .map(c -> c.replace("`", "").strip()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(PodSecurityGate.ALLOWED_CAPABILITIES), documented);
    }
}
