package dev.picket.profile;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** An immutable set of ports, or "any port"; membership is a binary search over a sorted array. */
public final class PortSet {

    private static final PortSet ANY = new PortSet(new int[0]);

    private final int[] sorted;

    private PortSet(int[] sorted) {
        this.sorted = sorted;
    }

    /** Any port: what an absent or empty {@code ports} list means. */
    public static PortSet any() {
        return ANY;
    }

    public static PortSet of(Collection<Integer> ports) {
        if (ports == null || ports.isEmpty()) {
            return ANY;
        }
        return new PortSet(ports.stream().mapToInt(Integer::intValue).sorted().distinct().toArray());
    }

    public boolean isAny() {
        return sorted.length == 0;
    }

    public boolean contains(int port) {
        return isAny() || Arrays.binarySearch(sorted, port) >= 0;
    }

    /** The ports in ascending order; empty for any port. */
    public List<Integer> toList() {
        return Arrays.stream(sorted).boxed().toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortSet p && Arrays.equals(sorted, p.sorted);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sorted);
    }

    @Override
    public String toString() {
        return isAny() ? "any" : Arrays.toString(sorted);
    }
}
