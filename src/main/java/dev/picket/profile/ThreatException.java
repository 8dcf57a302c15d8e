package dev.picket.profile;

import inet.ipaddr.IPAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A compiled {@code spec.threats.exceptions} entry. It covers a finding of {@code rule} when every narrowing field it
 * has matches; a field the finding has no value for (no process, an unknown parent, no remote) never matches.
 *
 * @param rule   the threat rule it excepts
 * @param exe    glob on the executable of the process the finding names, as in {@code processes.allow}
 * @param parent glob on that process's parent's executable
 * @param cidr   the remote block; IPv4-mapped IPv6 blocks are stored as IPv4, as in {@code network.egress}
 * @param ports  the remote ports, or any when the entry has none
 * @param reason why the behaviour is normal for this workload
 */
public record ThreatException(ThreatRule rule, Optional<Glob> exe, Optional<Glob> parent, Optional<IPAddress> cidr,
        PortSet ports, String reason) {

    public ThreatException {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(exe, "exe");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(cidr, "cidr");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(reason, "reason");
    }

    /** Whether the entry needs the remote of a finding (it has a {@code cidr} or {@code ports}). */
    boolean needsRemote() {
        return cidr.isPresent() || !ports.isAny();
    }

    /**
     * Whether the entry covers a finding of its rule about {@code exe} started by {@code parentExe}, connected to
     * {@code remote} port {@code port}. Null (and a port below 1) means the finding has no such value, which no
     * narrowing field matches. {@code remote} must already be normalised (IPv4-mapped IPv6 as IPv4).
     */
    boolean matches(String exe, String parentExe, IPAddress remote, int port) {
        if (!ports.isAny() && (port < 1 || !ports.contains(port))) {
            return false;
        }
        if (cidr.isPresent() && (remote == null || !cidr.get().contains(remote))) {
            return false;
        }
        if (this.exe.isPresent() && !this.exe.get().matches(exe)) {
            return false;
        }
        return parent.isEmpty() || parent.get().matches(parentExe);
    }

    /** The entry as a spec (globs as written, the CIDR in canonical form). */
    public ThreatExceptionSpec toSpec() {
        return new ThreatExceptionSpec(rule.id(), exe.map(Glob::pattern).orElse(null),
                parent.map(Glob::pattern).orElse(null), cidr.map(IPAddress::toCanonicalString).orElse(null),
                ports.isAny() ? null : ports.toList(), reason);
    }

    /**
     * One line for logs and reviews: {@code mining-pool where exe /usr/bin/python3* and ports [4444]: reason}.
     * Validation keeps control characters out of globs and reasons, so it stays one line.
     */
    public String describe() {
        List<String> where = new ArrayList<>();
        exe.ifPresent(g -> where.add("exe " + g.pattern()));
        parent.ifPresent(g -> where.add("parent " + g.pattern()));
        cidr.ifPresent(c -> where.add("cidr " + c.toCanonicalString()));
        if (!ports.isAny()) {
            where.add("ports " + ports);
        }
        return rule.id() + " where " + String.join(" and ", where) + ": " + reason;
    }
}
