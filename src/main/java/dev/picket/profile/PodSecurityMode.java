package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code spec.podSecurity}: what the injector's pod-security gate does with a protected pod that could blind or
 * bypass Picket (privileged containers, host namespaces, hostPath volumes, ...); see docs/injector.md.
 */
@RegisterForReflection
public enum PodSecurityMode {
    /** Admit the pod with one AdmissionReview warning per finding. The default. */
    WARN,
    /** Refuse the pod; the message lists every finding with its reason code. */
    ENFORCE;

    @JsonValue
    public String wire() {
        return Wire.of(this);
    }

    @JsonCreator
    public static PodSecurityMode fromWire(String text) {
        return Wire.parseOrThrow(PodSecurityMode.class, text);
    }
}
