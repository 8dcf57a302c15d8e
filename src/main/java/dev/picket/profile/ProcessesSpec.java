package dev.picket.profile;

import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Objects;

/** {@code spec.processes}: the exec allowlist and whether root processes are tolerated. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"allow", "allowRoot"})
public class ProcessesSpec {

    @JsonPropertyDescription("An exec is allowed when any entry matches. No entries: no exec is allowed.")
    @Size(max = ProfileLimits.MAX_PROCESS_RULES)
    private List<ProcessRuleSpec> allow;

    @JsonProperty(defaultValue = "false")
    @JsonPropertyDescription("When false (the default) a neighbour process with effective uid 0 is a violation.")
    private Boolean allowRoot;

    public ProcessesSpec() {
    }

    public ProcessesSpec(List<ProcessRuleSpec> allow, Boolean allowRoot) {
        this.allow = allow;
        this.allowRoot = allowRoot;
    }

    public List<ProcessRuleSpec> getAllow() {
        return allow;
    }

    public void setAllow(List<ProcessRuleSpec> allow) {
        this.allow = allow;
    }

    public Boolean getAllowRoot() {
        return allowRoot;
    }

    public void setAllowRoot(Boolean allowRoot) {
        this.allowRoot = allowRoot;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessesSpec p && Objects.equals(allow, p.allow) && Objects.equals(allowRoot, p.allowRoot);
    }

    @Override
    public int hashCode() {
        return Objects.hash(allow, allowRoot);
    }

    @Override
    public String toString() {
        return "ProcessesSpec{allow=" + allow + ", allowRoot=" + allowRoot + "}";
    }
}
