package dev.picket.judge;

import dev.picket.profile.ThreatRule;
import dev.picket.profile.ViolationKind;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on findings shared by the test classes. */
final class Expect {

    private Expect() {
    }

    /** A THREAT finding of {@code rule} with the catalogue's id and severity, about process {@code pid}. */
    static void threat(Finding f, ThreatRule rule, long pid) {
        threat(f, rule);
        assertThat(f.subject()).as("the process it concerns").isNotNull();
        assertThat(f.subject().pid()).isEqualTo((int) pid);
        assertThat(f.identity()).isEqualTo(Finding.identityOf(f.subject()));
    }

    static void threat(Finding f, ThreatRule rule) {
        assertThat(f.kind()).isEqualTo(ViolationKind.THREAT);
        assertThat(f.rule()).isEqualTo(rule.id());
        assertThat(f.threat()).isEqualTo(rule);
        assertThat(f.severity()).isEqualTo(rule.severity());
        assertThat(f.key()).startsWith(rule.id() + "|");
    }

    /** The THREAT findings of a watch, by rule id, for "nothing else fired" checks. */
    static List<String> threatRules(Watch w) {
        return w.of(ViolationKind.THREAT).stream().map(Finding::rule).toList();
    }
}
