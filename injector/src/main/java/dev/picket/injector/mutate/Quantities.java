package dev.picket.injector.mutate;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Strict validation of Kubernetes resource quantities. fabric8's {@link Quantity} parses leniently,
 * so the grammar of {@code k8s.io/apimachinery/pkg/api/resource} is checked first and the library
 * only converts an already valid string into a number.
 */
public final class Quantities {

    private static final Pattern QUANTITY = Pattern.compile(
            "^\\+?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:Ki|Mi|Gi|Ti|Pi|Ei|[mkMGTPE]|[eE][+-]?[0-9]+)?$");

    private Quantities() {
    }

    /** The amount in base units (cores or bytes), or empty when the text is not a non-negative quantity. */
    public static Optional<BigDecimal> amount(String text) {
        if (text == null || !QUANTITY.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Quantity(text).getNumericalAmount());
        } catch (ArithmeticException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code 128m} of memory is 0.128 bytes: valid for the API server, but never what anyone meant. */
    public static boolean isMilliMemory(String text) {
        return text != null && text.endsWith("m");
    }
}
