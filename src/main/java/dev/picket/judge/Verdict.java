package dev.picket.judge;

import java.util.List;
import java.util.Set;

/**
 * The judge's answer for one scan: {@code fresh} findings seen for the first time (each becomes a
 * violation, depending on the mode), and what currently looks like a threat, which learn mode must not
 * record as normal, and the fork rate over the last minute (NaN while unknown).
 */
public record Verdict(List<Finding> fresh, Set<String> threatIdentities, Set<String> threatRemotes,
        double forksPerMinute) {
}
