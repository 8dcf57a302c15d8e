package dev.picket.profile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The compiled exec allowlist. Entries with a literal path and no parent (what a learned profile mostly
 * holds) are answered by one hash lookup; the rest are tried in order.
 */
public final class ProcessRules {

    private final List<ProcessRule> rules;
    private final boolean allowRoot;
    private final Set<String> literalExes;
    private final List<ProcessRule> others;
    /** For equality: the allowlist means the same in any order and with duplicates. */
    private final Set<ProcessRule> ruleSet;

    ProcessRules(List<ProcessRule> rules, boolean allowRoot) {
        this.rules = List.copyOf(rules);
        this.allowRoot = allowRoot;
        Set<String> literal = new HashSet<>();
        List<ProcessRule> rest = new ArrayList<>();
        for (ProcessRule r : this.rules) {
            if (r.exe().isLiteral() && r.parent().isEmpty()) {
                literal.add(r.exe().literalPath());
            } else {
                rest.add(r);
            }
        }
        this.literalExes = Set.copyOf(literal);
        this.others = List.copyOf(rest);
        this.ruleSet = Set.copyOf(this.rules);
    }

    /** Every entry, in the order written. Two rule sets are equal when they hold the same entries in any order. */
    public List<ProcessRule> rules() {
        return rules;
    }

    /** Whether a process with effective uid 0 is tolerated. */
    public boolean allowRoot() {
        return allowRoot;
    }

    /** Whether any entry admits {@code exe} as a child of {@code parentExe} (null when unknown). */
    public boolean allows(String exe, String parentExe) {
        if (exe == null) {
            return false;
        }
        if (literalExes.contains(Glob.normalize(exe))) {
            return true;
        }
        for (ProcessRule r : others) {
            if (r.matches(exe, parentExe)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessRules p && p.allowRoot == allowRoot && p.ruleSet.equals(ruleSet);
    }

    @Override
    public int hashCode() {
        return ruleSet.hashCode() * 31 + Boolean.hashCode(allowRoot);
    }

    @Override
    public String toString() {
        return "ProcessRules{allow=" + rules + ", allowRoot=" + allowRoot + "}";
    }
}
