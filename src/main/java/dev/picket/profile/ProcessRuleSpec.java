package dev.picket.profile;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Objects;

/** One entry of {@code spec.processes.allow}. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"exe", "parent"})
public class ProcessRuleSpec {

    @JsonPropertyDescription("Required. Glob on the resolved executable path: * stays within one path segment, ** crosses /.")
    @Required
    @Size(min = 1, max = ProfileLimits.MAX_GLOB_LENGTH)
    @Pattern(WorkloadProfileSchema.GLOB_START)
    private String exe;

    @JsonPropertyDescription("Optional glob: the entry matches only when the parent's executable matches it too.")
    @Size(min = 1, max = ProfileLimits.MAX_GLOB_LENGTH)
    @Pattern(WorkloadProfileSchema.GLOB_START)
    private String parent;

    public ProcessRuleSpec() {
    }

    public ProcessRuleSpec(String exe, String parent) {
        this.exe = exe;
        this.parent = parent;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessRuleSpec r && Objects.equals(exe, r.exe) && Objects.equals(parent, r.parent);
    }

    @Override
    public int hashCode() {
        return Objects.hash(exe, parent);
    }

    @Override
    public String toString() {
        return "ProcessRuleSpec{exe=" + exe + ", parent=" + parent + "}";
    }
}
