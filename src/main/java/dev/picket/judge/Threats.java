package dev.picket.judge;

import dev.picket.observe.ProcessSample;
import dev.picket.profile.ThreatRule;
import dev.picket.profile.ViolationKind;

/** Builds THREAT findings with the catalogue's id and severity. */
final class Threats {

    private Threats() {
    }

    static Finding of(ThreatRule rule, String key, ProcessSample subject, String remote, String detail) {
        String identity = subject != null ? Finding.identityOf(subject) : null;
        return new Finding(ViolationKind.THREAT, rule.id(), rule.severity(), rule, rule.id() + "|" + key, identity,
                subject, remote, detail);
    }
}
