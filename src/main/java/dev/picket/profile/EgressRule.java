package dev.picket.profile;

import inet.ipaddr.IPAddress;

import java.util.Objects;

/**
 * A compiled {@code network.egress} entry.
 *
 * @param block    the CIDR block (a single address is a block of one); IPv4-mapped IPv6 blocks are stored as IPv4
 * @param ports    remote ports, or any
 * @param protocol the protocol it admits
 */
public record EgressRule(IPAddress block, PortSet ports, Protocol protocol) {

    public EgressRule {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(protocol, "protocol");
    }

    /** {@code ip} must already be normalised (IPv4-mapped IPv6 as IPv4), as {@link NetworkRules} does. */
    boolean matches(IPAddress ip, int port, Protocol p) {
        return protocol.admits(p) && ports.contains(port) && block.contains(ip);
    }
}
