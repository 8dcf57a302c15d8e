package dev.picket.injector.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the admission policies found, and how it reads: one AdmissionReview warning per {@code warn} finding, one
 * denial message listing every {@code deny} finding.
 *
 * @param profile    the profile that governs the pod, if one does and it could be read
 * @param governance how the profile was chosen, or why none was
 */
public record PolicyResult(Optional<AdmissionProfile> profile, ProfileChoice.Governance governance, List<Finding> findings) {

    /** Warnings beyond this many are summed up in one last warning (kubectl prints each on its own line). */
    static final int MAX_WARNINGS = 16;
    /** The API server may cut longer warnings. */
    static final int MAX_WARNING_LENGTH = 256;

    public PolicyResult {
        findings = List.copyOf(findings);
    }

    public List<Finding> denials() {
        return findings.stream().filter(f -> f.action() == PolicyAction.DENY).toList();
    }

    public boolean denied() {
        return !denials().isEmpty();
    }

    /** {@code denied by WorkloadProfile shop/web: [image_tag] ...; [privileged] ...} (without the {@code picket: } prefix). */
    public String denialMessage() {
        List<Finding> denials = denials();
        if (denials.size() == 1 && denials.getFirst().rule() == FindingRule.PROFILE_UNRESOLVED) {
            return "cannot check the pod's image policy and pod security: " + denials.getFirst()
                    + " (picket.injector.on-failure=deny)";
        }
        return "denied by " + profile.map(AdmissionProfile::display).orElse("the pod-security gate") + ": "
                + String.join("; ", denials.stream().map(Finding::toString).toList());
    }

    /**
     * The AdmissionReview warnings, each {@code picket: <context>: [code] <detail>}: the context (which profile, which
     * mode) comes first so that a warning the API server cuts still says where it comes from.
     */
    public List<String> warnings() {
        List<Finding> warns = findings.stream().filter(f -> f.action() == PolicyAction.WARN).toList();
        List<String> out = new ArrayList<>();
        for (Finding f : warns) {
            if (out.size() == MAX_WARNINGS - 1 && warns.size() > MAX_WARNINGS) {
                out.add("picket: " + (warns.size() - out.size()) + " more findings; the injector's log lists them all");
                break;
            }
            if (f.rule() == FindingRule.PROFILE_UNRESOLVED) {
                out.add(cut("picket: picket.injector.on-failure=allow: " + f + "; the image policy was not checked"));
            } else {
                out.add(cut("picket: " + context(f) + ": " + f));
            }
        }
        return out;
    }

    private String context(Finding f) {
        if (f.rule().isImageRule()) {
            return profile.map(AdmissionProfile::display).orElse("image policy");
        }
        if (governance instanceof ProfileChoice.Unresolvable) {
            return "podSecurity warn (profile unresolved)";
        }
        return profile.map(p -> p.display() + ", podSecurity warn").orElse("podSecurity warn (no WorkloadProfile)");
    }

    private static String cut(String warning) {
        return warning.length() > MAX_WARNING_LENGTH ? warning.substring(0, MAX_WARNING_LENGTH - 1) + "…" : warning;
    }
}
