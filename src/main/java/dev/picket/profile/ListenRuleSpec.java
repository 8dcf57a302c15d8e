package dev.picket.profile;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Objects;

/** One entry of {@code spec.network.listen}. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"port", "protocol"})
public class ListenRuleSpec {

    @JsonPropertyDescription("Required. Local port 1-65535.")
    @Required
    @Min(1)
    @Max(65535)
    private Integer port;

    @JsonProperty(defaultValue = "any")
    @JsonPropertyDescription("tcp | udp | any. Absent: any.")
    private Protocol protocol;

    public ListenRuleSpec() {
    }

    public ListenRuleSpec(Integer port, Protocol protocol) {
        this.port = port;
        this.protocol = protocol;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Protocol getProtocol() {
        return protocol;
    }

    public void setProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListenRuleSpec l && Objects.equals(port, l.port) && protocol == l.protocol;
    }

    @Override
    public int hashCode() {
        return Objects.hash(port, protocol);
    }

    @Override
    public String toString() {
        return "ListenRuleSpec{port=" + port + ", protocol=" + protocol + "}";
    }
}
