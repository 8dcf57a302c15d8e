package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code spec.threats.exceptions}: a finding of {@code rule} that matches every narrowing field given
 * ({@code exe}, {@code parent}, {@code cidr}, {@code ports}; at least one) is not raised. {@code reason} says why the
 * behaviour is normal for this workload, for whoever reviews the profile.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"rule", "exe", "parent", "cidr", "ports", "reason"})
public class ThreatExceptionSpec {

    @JsonPropertyDescription("Required. The id of the built-in threat rule this entry excepts, e.g. mining-pool.")
    @Required
    @Size(min = 1, max = 32)
    @Pattern(WorkloadProfileSchema.THREAT_ID)
    private String rule;

    @JsonPropertyDescription("Glob on the executable of the process the finding names, as in processes.allow.")
    @Size(min = 1, max = ProfileLimits.MAX_GLOB_LENGTH)
    @Pattern(WorkloadProfileSchema.GLOB_START)
    private String exe;

    @JsonPropertyDescription("Glob on the executable of that process's parent; never matches an unknown parent.")
    @Size(min = 1, max = ProfileLimits.MAX_GLOB_LENGTH)
    @Pattern(WorkloadProfileSchema.GLOB_START)
    private String parent;

    @JsonPropertyDescription("The remote address, IPv4 or IPv6 CIDR or a single address, as in network.egress. Only for"
            + " reverse-shell, mining-pool, cloud-metadata and kube-api-contact.")
    @Size(min = 1, max = 64)
    @Pattern("^[0-9A-Fa-f.:]+(/[0-9]{1,3})?$")
    private String cidr;

    @JsonPropertyDescription("Remote ports 1-65535, not empty. Only for reverse-shell, mining-pool, cloud-metadata and"
            + " kube-api-contact.")
    @Size(min = 1, max = ProfileLimits.MAX_PORTS_PER_RULE)
    private List<@Min(1) @Max(65535) Integer> ports;

    @JsonPropertyDescription("Required. Why this behaviour is normal for the workload: one line, shown in GET /v1/profile"
            + " and the sidecar's log.")
    @Required
    @Size(min = 1, max = ProfileLimits.MAX_EXCEPTION_REASON_LENGTH)
    @Pattern(WorkloadProfileSchema.REASON)
    private String reason;

    public ThreatExceptionSpec() {
    }

    public ThreatExceptionSpec(String rule, String exe, String parent, String cidr, List<Integer> ports, String reason) {
        this.rule = rule;
        this.exe = exe;
        this.parent = parent;
        this.cidr = cidr;
        this.ports = ports;
        this.reason = reason;
    }

    public String getRule() {
        return rule;
    }

    public void setRule(String rule) {
        this.rule = rule;
    }

    public String getExe() {
        return exe;
    }

    public void setExe(String exe) {
        this.exe = exe;
    }

    public String getParent() {
        return parent;
    }

    public void setParent(String parent) {
        this.parent = parent;
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

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThreatExceptionSpec t && Objects.equals(rule, t.rule) && Objects.equals(exe, t.exe)
                && Objects.equals(parent, t.parent) && Objects.equals(cidr, t.cidr) && Objects.equals(ports, t.ports)
                && Objects.equals(reason, t.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rule, exe, parent, cidr, ports, reason);
    }

    @Override
    public String toString() {
        return "ThreatExceptionSpec{rule=" + rule + ", exe=" + exe + ", parent=" + parent + ", cidr=" + cidr
                + ", ports=" + ports + ", reason=" + reason + "}";
    }
}
