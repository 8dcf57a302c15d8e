package dev.picket.profile;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Objects;

/** One entry of {@code spec.network.egress}. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"cidr", "ports", "protocol"})
public class EgressRuleSpec {

    @JsonPropertyDescription("Required. IPv4 or IPv6 CIDR (10.0.0.0/8, 2001:db8::/32) or a single address; host bits under"
            + " the prefix, leading zeros and zones are refused by the sidecar.")
    @Required
    @Size(min = 1, max = 64)
    @Pattern("^[0-9A-Fa-f.:]+(/[0-9]{1,3})?$")
    private String cidr;

    @JsonPropertyDescription("Remote ports 1-65535. Absent or empty: any port.")
    @Size(max = ProfileLimits.MAX_PORTS_PER_RULE)
    private List<@Min(1) @Max(65535) Integer> ports;

    @JsonProperty(defaultValue = "any")
    @JsonPropertyDescription("tcp | udp | any. Absent: any.")
    private Protocol protocol;

    public EgressRuleSpec() {
    }

    public EgressRuleSpec(String cidr, List<Integer> ports, Protocol protocol) {
        this.cidr = cidr;
        this.ports = ports;
        this.protocol = protocol;
    }

    public String getCidr() {
        return cidr;
    }

    public void setCidr(String cidr) {
        this.cidr = cidr;
    }

    public List<Integer> getPorts() {
        return ports;
    }

    public void setPorts(List<Integer> ports) {
        this.ports = ports;
    }

    public Protocol getProtocol() {
        return protocol;
    }

    public void setProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EgressRuleSpec e && Objects.equals(cidr, e.cidr) && Objects.equals(ports, e.ports)
                && protocol == e.protocol;
    }

    @Override
    public int hashCode() {
        return Objects.hash(cidr, ports, protocol);
    }

    @Override
    public String toString() {
        return "EgressRuleSpec{cidr=" + cidr + ", ports=" + ports + ", protocol=" + protocol + "}";
    }
}
