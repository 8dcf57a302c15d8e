package dev.picket.profile;

import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Objects;

/** {@code spec.network}: allowed outbound connections and listening sockets. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"egress", "listen"})
public class NetworkSpec {

    @JsonPropertyDescription("An outbound connection is allowed when any entry matches. No entries: none is.")
    @Size(max = ProfileLimits.MAX_EGRESS_RULES)
    private List<EgressRuleSpec> egress;

    @JsonPropertyDescription("A listening socket is allowed when any entry matches. No entries: none is.")
    @Size(max = ProfileLimits.MAX_LISTEN_RULES)
    private List<ListenRuleSpec> listen;

    public NetworkSpec() {
    }

    public NetworkSpec(List<EgressRuleSpec> egress, List<ListenRuleSpec> listen) {
        this.egress = egress;
        this.listen = listen;
    }

    public List<EgressRuleSpec> getEgress() {
        return egress;
    }

    public void setEgress(List<EgressRuleSpec> egress) {
        this.egress = egress;
    }

    public List<ListenRuleSpec> getListen() {
        return listen;
    }

    public void setListen(List<ListenRuleSpec> listen) {
        this.listen = listen;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSpec n && Objects.equals(egress, n.egress) && Objects.equals(listen, n.listen);
    }

    @Override
    public int hashCode() {
        return Objects.hash(egress, listen);
    }

    @Override
    public String toString() {
        return "NetworkSpec{egress=" + egress + ", listen=" + listen + "}";
    }
}
