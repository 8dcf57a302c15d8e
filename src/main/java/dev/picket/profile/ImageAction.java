package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the injector does when an image rule of {@code spec.images} fails for a container: written {@code deny} or
 * {@code warn}. The sidecar only validates and carries it; the injector (a separate program) enforces it.
 */
@RegisterForReflection
public enum ImageAction {
    /** Refuse the pod at admission, naming the container, the image and the rule. */
    DENY,
    /** Admit the pod; the AdmissionReview carries a warning that kubectl shows. The default. */
    WARN;

    @JsonValue
    public String wire() {
        return Wire.of(this);
    }

    @JsonCreator
    public static ImageAction fromWire(String text) {
        return Wire.parseOrThrow(ImageAction.class, text);
    }
}
