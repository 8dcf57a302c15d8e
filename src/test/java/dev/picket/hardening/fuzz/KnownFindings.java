package dev.picket.hardening.fuzz;

import java.util.function.BooleanSupplier;

/**
 * Findings of the fuzzers in code this suite does not own, reported with their exact input and awaiting a fix
 * there. While one is open, its fuzz target steps over that one symptom (and only it), so fuzzing goes on finding
 * others; its named test in {@code FuzzFindingsTest} is disabled with the same id. {@code -Dpicket.fuzz.strict=true}
 * turns every exemption off. Fixing a finding: delete its constant here and enable its test.
 */
final class KnownFindings {

    private static final boolean STRICT = Boolean.getBoolean("picket.fuzz.strict");

    private KnownFindings() {
    }

    static boolean exempt(String finding, BooleanSupplier symptom) {
        return !STRICT && symptom.getAsBoolean();
    }
}
