package dev.picket.profile;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Strict CIDR and address parsing: dotted-quad IPv4 and standard IPv6 text only, as Kubernetes writes them.
 * No wildcards, ranges, masks, zones, inet_aton forms ({@code 1.2.3}, {@code 0x0a.0.0.1}) or leading zeros,
 * and no host bits set under the prefix ({@code 10.1.2.3/8} is refused, it is ambiguous).
 */
final class Cidrs {

    private static final IPAddressStringParameters STRICT;
    private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final int MAX_LENGTH = 64;

    static {
        IPAddressStringParameters.Builder b = new IPAddressStringParameters.Builder()
                .allowEmpty(false).allowAll(false).allowSingleSegment(false).allowPrefixOnly(false)
                .allowMask(false).allowWildcardedSeparator(false).setRangeOptions(RangeParameters.NO_RANGE)
                .allow_inet_aton(false);
        b.getIPv4AddressParametersBuilder().allowLeadingZeros(false).allowBinary(false)
                .allowPrefixesBeyondAddressSize(false);
        b.getIPv6AddressParametersBuilder().allowZone(false).allowBase85(false).allowBinary(false)
                .allowPrefixesBeyondAddressSize(false);
        STRICT = b.toParams();
    }

    private Cidrs() {
    }

    /**
     * A CIDR block, or a single address as a block of one. An IPv4-mapped IPv6 block
     * ({@code ::ffff:10.0.0.0/104}) becomes the IPv4 block it maps.
     *
     * @throws IllegalArgumentException with the reason when the text is not a valid CIDR
     */
    static IPAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("is too long for an address");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':'
                    || c == '/')) {
                throw new IllegalArgumentException("has an unexpected character " + Text.quote(String.valueOf(c)));
            }
        }
        int slash = text.indexOf('/');
        if (slash >= 0 && !PREFIX.matcher(text.substring(slash + 1)).matches()) {
            throw new IllegalArgumentException("the prefix length after / must be a number without leading zeros");
        }
        IPAddress address;
        try {
            address = new IPAddressString(text, STRICT).toAddress();
        } catch (AddressStringException | RuntimeException e) {
            throw new IllegalArgumentException(reason(e));
        }
        if (address == null) {
            throw new IllegalArgumentException("is not an IP address");
        }
        if (address.getNetworkPrefixLength() != null && !address.isPrefixBlock()) {
            throw new IllegalArgumentException("has host bits set; did you mean " + address.toPrefixBlock()
                    + " or " + address.withoutPrefixLength() + "/" + address.getBitCount() + "?");
        }
        if (address.getNetworkPrefixLength() == null) {
            address = address.setPrefixLength(address.getBitCount(), false);
        }
        if (address instanceof IPv6Address v6 && v6.isIPv4Mapped() && address.getNetworkPrefixLength() >= 96) {
            IPv4Address v4 = v6.getEmbeddedIPv4Address();
            address = v4.setPrefixLength(address.getNetworkPrefixLength() - 96, false).toPrefixBlock();
        }
        return address;
    }

    /** The address to test against rules: an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as IPv4. */
    static IPAddress normalize(IPAddress ip) {
        if (ip instanceof IPv6Address v6 && v6.isIPv4Mapped()) {
            return v6.getEmbeddedIPv4Address();
        }
        return ip;
    }

    static IPAddress of(InetAddress address) {
        if (address instanceof Inet4Address v4) {
            return new IPv4Address(v4);
        }
        return new IPv6Address(((Inet6Address) address).getAddress());
    }

    private static String reason(Exception e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        int at = m.indexOf("IP Address error:");
        return at >= 0 ? Text.oneLine(m.substring(at + 17)) : "is not an IP address";
    }
}
