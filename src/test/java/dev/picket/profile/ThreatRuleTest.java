package dev.picket.profile;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreatRuleTest {

    private static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}(\\.\\d{3})?");

    @Test
    void theCatalogueHasTheIssuesRulesWithStableIds() {
        assertEquals(List.of("exec-from-writable-dir", "fileless-exec", "reverse-shell", "mining-pool", "cloud-metadata",
                "kube-api-contact", "packet-socket", "namespace-change", "ptrace-attached", "preload-injection",
                "privilege-change", "runtime-socket", "fork-burst"), Stream.of(ThreatRule.values()).map(ThreatRule::id).toList());
    }

    @Test
    void everyRuleHasASeverityATechniqueAndATrigger() {
        for (ThreatRule r : ThreatRule.values()) {
            assertTrue(TECHNIQUE.matcher(r.techniqueId()).matches(), r.id());
            assertTrue(!r.techniqueName().isBlank() && !r.trigger().isBlank(), r.id());
            assertEquals(Optional.of(r), ThreatRule.byId(r.id()));
            assertEquals(r.name().toLowerCase().replace('_', '-'), r.id());
        }
        assertEquals(Optional.empty(), ThreatRule.byId("Reverse-Shell"));
        assertEquals(Optional.empty(), ThreatRule.byId(null));
    }

    @Test
    void techniquesAreTheChosenOnes() {
        assertEquals("T1620", ThreatRule.FILELESS_EXEC.techniqueId());
        assertEquals("T1059.004", ThreatRule.REVERSE_SHELL.techniqueId());
        assertEquals("T1496", ThreatRule.MINING_POOL.techniqueId());
        assertEquals("T1552.005", ThreatRule.CLOUD_METADATA.techniqueId());
        assertEquals("T1574.006", ThreatRule.PRELOAD_INJECTION.techniqueId());
        assertEquals("T1055.008", ThreatRule.PTRACE_ATTACHED.techniqueId());
        assertEquals(Severity.CRITICAL, ThreatRule.REVERSE_SHELL.severity());
    }
}
