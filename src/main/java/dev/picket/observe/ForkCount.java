package dev.picket.observe;

/**
 * Tasks created since the previous scan. In pod mode this comes from the PID namespace's last-pid
 * counter, so processes too short-lived to be seen are counted (threads too: the kernel numbers both
 * from one counter). Otherwise it is the number of new processes seen, a lower bound.
 */
public record ForkCount(long sinceLastScan, long total, Source source) {

    public enum Source {
        PID_NAMESPACE, OBSERVED
    }
}
