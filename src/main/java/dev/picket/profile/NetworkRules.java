package dev.picket.profile;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;

import java.net.InetAddress;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * The compiled egress and listen allowlists. Egress entries are tried in order (at most
 * {@link ProfileLimits#MAX_EGRESS_RULES}); listen ports are answered from bit sets, one per protocol.
 */
public final class NetworkRules {

    private final List<EgressRule> egress;
    private final List<ListenRule> listen;
    private final BitSet tcp = new BitSet(65536);
    private final BitSet udp = new BitSet(65536);
    private final BitSet anyProtocol = new BitSet(65536);
    /** For equality: the allowlists mean the same in any order and with duplicates. */
    private final Set<EgressRule> egressSet;
    private final Set<ListenRule> listenSet;
    /** Per egress rule, the IPv4 block as an unsigned range (lo &gt; hi for IPv6 rules): a compare, not an object walk. */
    private final long[] v4Lo;
    private final long[] v4Hi;

    NetworkRules(List<EgressRule> egress, List<ListenRule> listen) {
        this.egress = List.copyOf(egress);
        this.listen = List.copyOf(listen);
        this.egressSet = Set.copyOf(this.egress);
        this.v4Lo = new long[this.egress.size()];
        this.v4Hi = new long[this.egress.size()];
        for (int i = 0; i < this.egress.size(); i++) {
            IPAddress block = this.egress.get(i).block();
            if (block instanceof IPv4Address v4) {
                v4Lo[i] = v4.getLower().longValue();
                v4Hi[i] = v4.getUpper().longValue();
            } else {
                v4Lo[i] = 1;
                v4Hi[i] = 0;
            }
        }
        this.listenSet = Set.copyOf(this.listen);
        for (ListenRule r : this.listen) {
            switch (r.protocol()) {
                case TCP -> tcp.set(r.port());
                case UDP -> udp.set(r.port());
                case ANY -> {
                    tcp.set(r.port());
                    udp.set(r.port());
                    anyProtocol.set(r.port());
                }
            }
        }
    }

    public List<EgressRule> egress() {
        return egress;
    }

    public List<ListenRule> listen() {
        return listen;
    }

    /**
     * Whether an outbound connection to {@code ip:port} over {@code protocol} is allowed. An IPv4-mapped IPv6
     * address ({@code ::ffff:10.1.2.3}, what a dual-stack socket reports) is compared as the IPv4 address.
     */
    public boolean egressAllowed(IPAddress ip, int port, Protocol protocol) {
        if (ip == null || protocol == null) {
            return false;
        }
        IPAddress normalized = Cidrs.normalize(ip);
        if (normalized instanceof IPv4Address v4 && !v4.isMultiple()) {
            long value = v4.longValue();
            for (int i = 0; i < v4Lo.length; i++) {
                if (value >= v4Lo[i] && value <= v4Hi[i]) {
                    EgressRule r = egress.get(i);
                    if (r.protocol().admits(protocol) && r.ports().contains(port)) {
                        return true;
                    }
                }
            }
            return false;
        }
        for (EgressRule r : egress) {
            if (r.matches(normalized, port, protocol)) {
                return true;
            }
        }
        return false;
    }

    public boolean egressAllowed(InetAddress ip, int port, Protocol protocol) {
        return ip != null && egressAllowed(Cidrs.of(ip), port, protocol);
    }

    /**
     * Whether listening on {@code port} over {@code protocol} is allowed. Asked with {@link Protocol#ANY}
     * (protocol unknown), only an entry for any protocol admits it.
     */
    public boolean listenAllowed(int port, Protocol protocol) {
        if (port < 1 || port > 65535 || protocol == null) {
            return false;
        }
        return switch (protocol) {
            case TCP -> tcp.get(port);
            case UDP -> udp.get(port);
            case ANY -> anyProtocol.get(port);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkRules n && n.egressSet.equals(egressSet) && n.listenSet.equals(listenSet);
    }

    @Override
    public int hashCode() {
        return egressSet.hashCode() * 31 + listenSet.hashCode();
    }

    @Override
    public String toString() {
        return "NetworkRules{egress=" + egress + ", listen=" + listen + "}";
    }
}
