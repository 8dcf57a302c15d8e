package dev.picket.judge;

import dev.picket.profile.Profile;
import dev.picket.profile.ProfileCompiler;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/** Profiles written for a test, in the document shape users write. */
final class Profiles {

    private Profiles() {
    }

    /** A document named {@code test} whose {@code spec:} is {@code specBody} (indented by two spaces here). */
    static String document(String specBody) {
        return """
                apiVersion: picket.dev/v1alpha1
                kind: WorkloadProfile
                metadata:
                  name: test
                spec:
                """ + specBody.stripIndent().lines().map(l -> "  " + l + "\n").collect(Collectors.joining());
    }

    /** Compiles {@link #document(String)}; a test profile that does not validate is a broken test. */
    static Profile spec(String specBody) {
        return compile(document(specBody));
    }

    static Profile compile(String yaml) {
        return ProfileCompiler.fromYaml(yaml.getBytes(StandardCharsets.UTF_8), "test", 1).orElseThrow();
    }

    /**
     * Allows every executable, root, any egress and nothing else: only threats, LISTEN and RESOURCE
     * findings remain, so a threat test sees what it provoked and not the allowlists.
     */
    static Profile permissive(String... disabledThreats) {
        return spec("""
                mode: monitor
                processes:
                  allow:
                    - exe: /**
                  allowRoot: true
                network:
                  egress:
                    - cidr: 0.0.0.0/0
                    - cidr: ::/0
                threats:
                  disable: [%s]
                """.formatted(String.join(", ", disabledThreats)));
    }
}
