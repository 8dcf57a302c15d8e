package dev.picket.profile;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The narrow exceptions docs/detection.md shows next to each rule's {@code threats.disable} are valid entries, and
 * every rule that can be excepted has one.
 */
class DetectionDocsExceptionsTest {

    private static final Pattern ENTRY = Pattern.compile("`(\\{rule: [^`]*})`");

    @Test
    void everyExceptionShownIsValidAndEveryExceptableRuleHasOne() throws IOException {
        String doc = Files.readString(Path.of("docs/detection.md"));
        Matcher m = ENTRY.matcher(doc);
        Set<ThreatRule> shown = EnumSet.noneOf(ThreatRule.class);
        int entries = 0;
        while (m.find()) {
            String entry = m.group(1).replace("…", "as documented");
            Validated<WorkloadProfile> v = ProfileReader.read(Docs.withSpec("threats: {exceptions: [" + entry + "]}"));
            assertTrue(v.isValid(), () -> entry + ": " + v.describe());
            shown.add(ThreatRule.byId(v.value().getSpec().getThreats().getExceptions().getFirst().getRule()).orElseThrow());
            entries++;
        }
        EnumSet<ThreatRule> exceptable = EnumSet.allOf(ThreatRule.class);
        exceptable.removeIf(r -> r.exceptionFields().isEmpty());
        assertEquals(exceptable, shown);
        assertTrue(entries >= exceptable.size());
    }
}
