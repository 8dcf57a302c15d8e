package dev.picket.profile;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Pattern;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Objects;

/** {@code spec.threats}: which built-in {@link ThreatRule}s to turn off. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ThreatsSpec {

    @JsonPropertyDescription("Ids of built-in threat rules to turn off, e.g. kube-api-contact. Absent or empty: all on.")
    @Size(max = ProfileLimits.MAX_DISABLED_THREATS)
    private List<@Pattern(WorkloadProfileSchema.THREAT_ID) String> disable;

    public ThreatsSpec() {
    }

    public ThreatsSpec(List<String> disable) {
        this.disable = disable;
    }

    public List<String> getDisable() {
        return disable;
    }

    public void setDisable(List<String> disable) {
        this.disable = disable;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThreatsSpec t && Objects.equals(disable, t.disable);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(disable);
    }

    @Override
    public String toString() {
        return "ThreatsSpec{disable=" + disable + "}";
    }
}
