package dev.picket.profile;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/** Memory as a Kubernetes quantity ({@code 256Mi}, {@code 1G}, {@code 1e9}, {@code 1048576}) in whole bytes. */
final class MemoryQuantity {

    /**
     * The quantity grammar of Kubernetes, without a sign and with exponents of at most two digits, checked
     * before fabric8 computes anything (so {@code 1e999999999} cannot make it build a huge number).
     */
    private static final Pattern SYNTAX = Pattern.compile(
            "([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]{1,2})?");
    private static final int MAX_LENGTH = 32;

    private MemoryQuantity() {
    }

    /**
     * Bytes of a memory quantity.
     *
     * @throws IllegalArgumentException with the reason when it is not a valid, positive memory size
     */
    static long bytes(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        if (text.length() > MAX_LENGTH || !SYNTAX.matcher(text).matches()) {
            throw new IllegalArgumentException("is not a Kubernetes quantity (e.g. 256Mi, 1Gi, 500M)");
        }
        BigDecimal bytes;
        try {
            bytes = Quantity.getAmountInBytes(new Quantity(text));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("is not a Kubernetes quantity (e.g. 256Mi, 1Gi, 500M)");
        }
        if (bytes.signum() <= 0) {
            throw new IllegalArgumentException("must be at least 1 byte");
        }
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("is not a whole number of bytes");
        }
        BigDecimal whole = bytes.setScale(0, RoundingMode.UNNECESSARY);
        if (whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("is larger than 8Ei");
        }
        return whole.longValueExact();
    }
}
