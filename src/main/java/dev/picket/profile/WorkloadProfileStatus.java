package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.Condition;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code status} of the {@code WorkloadProfile} custom resource, written by the sidecars (#5). Lists of pod
 * names rather than counts, so replicas can merge their own entries without overwriting each other's.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"observedGeneration", "podCount", "pods", "violationsTotal", "violations", "quarantinedPods", "learned",
        "conditions"})
public class WorkloadProfileStatus {

    @JsonPropertyDescription("metadata.generation of the spec the sidecars last applied.")
    private Long observedGeneration;

    @JsonPropertyDescription("How many pods' sidecars watch with this profile (the length of pods).")
    private Integer podCount;

    @JsonPropertyDescription("Names of the pods whose sidecar watches with this profile.")
    private List<String> pods;

    @JsonPropertyDescription("Violations reported under this profile by all its pods, every kind together.")
    private Long violationsTotal;

    @JsonPropertyDescription("Violation counts by kind (process, egress, listen, resource, threat).")
    private Map<String, Long> violations;

    @JsonPropertyDescription("Names of the pods currently quarantined under this profile.")
    private List<String> quarantinedPods;

    @JsonPropertyDescription("The union of what every replica learned in learn mode, ready to become the spec.")
    private WorkloadProfileSpec learned;

    @JsonPropertyDescription("Standard conditions, e.g. Accepted=False with the reason a spec was refused.")
    private List<Condition> conditions;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Integer getPodCount() {
        return podCount;
    }

    public void setPodCount(Integer podCount) {
        this.podCount = podCount;
    }

    public Long getViolationsTotal() {
        return violationsTotal;
    }

    public void setViolationsTotal(Long violationsTotal) {
        this.violationsTotal = violationsTotal;
    }

    public List<String> getPods() {
        return pods;
    }

    public void setPods(List<String> pods) {
        this.pods = pods;
    }

    public Map<String, Long> getViolations() {
        return violations;
    }

    public void setViolations(Map<String, Long> violations) {
        this.violations = violations;
    }

    public List<String> getQuarantinedPods() {
        return quarantinedPods;
    }

    public void setQuarantinedPods(List<String> quarantinedPods) {
        this.quarantinedPods = quarantinedPods;
    }

    public WorkloadProfileSpec getLearned() {
        return learned;
    }

    public void setLearned(WorkloadProfileSpec learned) {
        this.learned = learned;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkloadProfileStatus s && Objects.equals(observedGeneration, s.observedGeneration)
                && Objects.equals(podCount, s.podCount) && Objects.equals(pods, s.pods)
                && Objects.equals(violationsTotal, s.violationsTotal) && Objects.equals(violations, s.violations)
                && Objects.equals(quarantinedPods, s.quarantinedPods) && Objects.equals(learned, s.learned)
                && Objects.equals(conditions, s.conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, podCount, pods, violationsTotal, violations, quarantinedPods, learned, conditions);
    }

    @Override
    public String toString() {
        return "WorkloadProfileStatus{observedGeneration=" + observedGeneration + ", podCount=" + podCount + ", pods="
                + pods + ", violationsTotal=" + violationsTotal + ", violations=" + violations + ", quarantinedPods=" + quarantinedPods + ", learned=" + learned + ", conditions="
                + conditions + "}";
    }
}
