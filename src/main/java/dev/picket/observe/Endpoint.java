package dev.picket.observe;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.net.Inet6Address;
import java.net.InetAddress;

/** An IP endpoint; IPv4-mapped IPv6 addresses are already IPv4 here. */
public record Endpoint(@JsonIgnore InetAddress address, int port) {

    @JsonProperty("ip")
    public String ip() {
        return address.getHostAddress();
    }

    @JsonIgnore
    public boolean isAny() {
        return address.isAnyLocalAddress();
    }

    @Override
    public String toString() {
        return address instanceof Inet6Address ? "[" + ip() + "]:" + port : ip() + ":" + port;
    }
}
