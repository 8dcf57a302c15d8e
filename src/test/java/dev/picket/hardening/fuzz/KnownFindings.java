package dev.picket.hardening.fuzz;

import java.util.function.BooleanSupplier;

/**
 * Findings of the fuzzers in code this suite does not own, reported with their exact input and awaiting a fix
 * there. While one is open, its fuzz target steps over that one symptom (and only it), so fuzzing goes on finding
 * others; its named test in {@code FuzzFindingsTest} is disabled with the same id. {@code -Dpicket.fuzz.strict=true}
 * turns every exemption off. Fixing a finding: delete its constant here and enable its test.
 */
final class KnownFindings {

    /**
     * F1: a control character in a field name of a profile (an unknown key such as {@code "a\nb"}) reaches the
     * problem's path unescaped, so a profile file can forge lines in the log and in {@code profileError}.
     */
    static final String PROFILE_PATH_CONTROL = "F1";

    private static final boolean STRICT = Boolean.getBoolean("picket.fuzz.strict");

    private KnownFindings() {
    }

    static boolean exempt(String finding, BooleanSupplier symptom) {
        return !STRICT && symptom.getAsBoolean();
    }
}
