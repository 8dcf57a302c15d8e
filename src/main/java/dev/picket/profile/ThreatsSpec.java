package dev.picket.profile;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Pattern;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Objects;

/** {@code spec.threats}: which built-in {@link ThreatRule}s to turn off, and what to except from the others. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"disable", "exceptions"})
public class ThreatsSpec {

    @JsonPropertyDescription("Ids of built-in threat rules to turn off, e.g. kube-api-contact. Absent or empty: all on.")
    @Size(max = ProfileLimits.MAX_DISABLED_THREATS)
    private List<@Pattern(WorkloadProfileSchema.THREAT_ID) String> disable;

    @JsonPropertyDescription("Narrow exceptions to threat rules: a finding of the entry's rule that matches all of its"
            + " exe, parent, cidr and ports (at least one) is not raised. Each entry needs a reason.")
    @Size(max = ProfileLimits.MAX_THREAT_EXCEPTIONS)
    private List<ThreatExceptionSpec> exceptions;

    public ThreatsSpec() {
    }

    public ThreatsSpec(List<String> disable) {
        this(disable, null);
    }

    public ThreatsSpec(List<String> disable, List<ThreatExceptionSpec> exceptions) {
        this.disable = disable;
        this.exceptions = exceptions;
    }

    public List<String> getDisable() {
        return disable;
    }

    public void setDisable(List<String> disable) {
        this.disable = disable;
    }

    public List<ThreatExceptionSpec> getExceptions() {
        return exceptions;
    }

    public void setExceptions(List<ThreatExceptionSpec> exceptions) {
        this.exceptions = exceptions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThreatsSpec t && Objects.equals(disable, t.disable) && Objects.equals(exceptions, t.exceptions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(disable, exceptions);
    }

    @Override
    public String toString() {
        return "ThreatsSpec{disable=" + disable + ", exceptions=" + exceptions + "}";
    }
}
