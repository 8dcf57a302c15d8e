package dev.picket.profile;

import inet.ipaddr.IPAddress;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compiled {@code spec.threats.exceptions}, grouped by rule: the judge asks about every threat finding of every
 * scan (a standing condition is found again each time), and most rules have no exception, so the common answer is
 * one map lookup. A remote is parsed only when an exception of that rule has a {@code cidr} or {@code ports}.
 */
public final class ThreatExceptions {

    public static final ThreatExceptions NONE = new ThreatExceptions(List.of());

    private final List<ThreatException> entries;
    private final Map<ThreatRule, List<ThreatException>> byRule;
    /** For equality: the exceptions mean the same in any order and with duplicates. */
    private final Set<ThreatException> entrySet;

    public ThreatExceptions(List<ThreatException> entries) {
        this.entries = List.copyOf(entries);
        Map<ThreatRule, List<ThreatException>> grouped = new EnumMap<>(ThreatRule.class);
        for (ThreatException e : this.entries) {
            grouped.computeIfAbsent(e.rule(), r -> new ArrayList<>()).add(e);
        }
        grouped.replaceAll((r, list) -> List.copyOf(list));
        this.byRule = grouped;
        this.entrySet = Set.copyOf(this.entries);
    }

    /** Every entry, in the order written. */
    public List<ThreatException> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Whether an entry covers a finding of {@code rule} about the process running {@code exe} (the resolved path,
     * null when unknown or when the finding names no process), started by {@code parentExe} (null: unknown), about
     * a connection to {@code remote} port {@code port} (null and 0 when the finding has no remote).
     */
    public boolean excepts(ThreatRule rule, String exe, String parentExe, InetAddress remote, int port) {
        List<ThreatException> candidates = rule == null ? null : byRule.get(rule);
        if (candidates == null) {
            return false;
        }
        IPAddress ip = remote == null ? null : Cidrs.normalize(Cidrs.of(remote));
        for (ThreatException e : candidates) {
            if (e.matches(exe, parentExe, ip, port)) {
                return true;
            }
        }
        return false;
    }

    /**
     * As {@link #excepts(ThreatRule, String, String, InetAddress, int)}, with the remote as violations write it:
     * {@code 10.1.2.3:4444/tcp} or {@code [fd00:ec2:0:0:0:0:0:254]:80/tcp} (null: none). A remote that is not in
     * that form is no remote, which only entries without {@code cidr} and {@code ports} can cover.
     */
    public boolean excepts(ThreatRule rule, String exe, String parentExe, String remoteSpec) {
        List<ThreatException> candidates = rule == null ? null : byRule.get(rule);
        if (candidates == null) {
            return false;
        }
        IPAddress ip = null;
        int port = 0;
        boolean parsed = false;
        for (ThreatException e : candidates) {
            if (e.needsRemote() && !parsed) {
                parsed = true;
                Remote r = Remote.parse(remoteSpec);
                if (r != null) {
                    ip = Cidrs.normalize(Cidrs.of(r.address()));
                    port = r.port();
                }
            }
            if (e.matches(exe, parentExe, ip, port)) {
                return true;
            }
        }
        return false;
    }

    /** An address and port read back from {@code ip:port/proto} or {@code [ipv6]:port/proto}. */
    record Remote(InetAddress address, int port) {

        static Remote parse(String spec) {
            if (spec == null) {
                return null;
            }
            int slash = spec.lastIndexOf('/');
            String endpoint = slash >= 0 ? spec.substring(0, slash) : spec;
            int colon = endpoint.lastIndexOf(':');
            if (colon <= 0 || colon == endpoint.length() - 1) {
                return null;
            }
            String host = endpoint.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.indexOf(':') >= 0) {
                return null; // an IPv6 address without brackets: the port is ambiguous
            }
            try {
                int port = Integer.parseInt(endpoint, colon + 1, endpoint.length(), 10);
                if (port < 0 || port > 65535) {
                    return null;
                }
                return new Remote(InetAddress.ofLiteral(host), port); // a literal only: never a name lookup
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThreatExceptions t && t.entrySet.equals(entrySet);
    }

    @Override
    public int hashCode() {
        return entrySet.hashCode();
    }

    @Override
    public String toString() {
        return "ThreatExceptions" + entries;
    }
}
