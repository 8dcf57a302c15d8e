package dev.picket.profile;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Objects;

/** {@code spec.resources}: ceilings on the whole neighbour (every watched process together). */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"cpuCores", "memory", "processes", "threads", "openFiles", "forksPerMinute", "sustain"})
public class ResourcesSpec {

    @JsonPropertyDescription("CPU ceiling in cores (0.5 = half a core), more than 0 and at most 1024.")
    @Min(value = 0, inclusive = false)
    @Max(ProfileLimits.MAX_CPU_CORES)
    private Double cpuCores;

    @JsonPropertyDescription("Resident memory ceiling, Kubernetes quantity (256Mi, 1Gi): a whole number of bytes, at least 1.")
    private Quantity memory;

    @JsonPropertyDescription("Ceiling on the number of processes.")
    @Min(1)
    @Max(ProfileLimits.MAX_TASKS)
    private Integer processes;

    @JsonPropertyDescription("Ceiling on the number of threads.")
    @Min(1)
    @Max(ProfileLimits.MAX_TASKS)
    private Integer threads;

    @JsonPropertyDescription("Ceiling on the number of open file descriptors.")
    @Min(1)
    @Max(ProfileLimits.MAX_OPEN_FILES)
    private Integer openFiles;

    @JsonPropertyDescription("Ceiling on process creations per minute.")
    @Min(1)
    @Max(ProfileLimits.MAX_FORKS_PER_MINUTE)
    private Integer forksPerMinute;

    @JsonProperty(defaultValue = "5s")
    @JsonPropertyDescription("How long a ceiling must be exceeded before it counts (Go-style duration), 0s to 1h. Absent: 5s.")
    @Size(max = 64)
    @Pattern(WorkloadProfileSchema.DURATION)
    private String sustain;

    public Double getCpuCores() {
        return cpuCores;
    }

    public void setCpuCores(Double cpuCores) {
        this.cpuCores = cpuCores;
    }

    public Quantity getMemory() {
        return memory;
    }

    public void setMemory(Quantity memory) {
        this.memory = memory;
    }

    public Integer getProcesses() {
        return processes;
    }

    public void setProcesses(Integer processes) {
        this.processes = processes;
    }

    public Integer getThreads() {
        return threads;
    }

    public void setThreads(Integer threads) {
        this.threads = threads;
    }

    public Integer getOpenFiles() {
        return openFiles;
    }

    public void setOpenFiles(Integer openFiles) {
        this.openFiles = openFiles;
    }

    public Integer getForksPerMinute() {
        return forksPerMinute;
    }

    public void setForksPerMinute(Integer forksPerMinute) {
        this.forksPerMinute = forksPerMinute;
    }

    public String getSustain() {
        return sustain;
    }

    public void setSustain(String sustain) {
        this.sustain = sustain;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourcesSpec r && Objects.equals(cpuCores, r.cpuCores) && Objects.equals(memory, r.memory)
                && Objects.equals(processes, r.processes) && Objects.equals(threads, r.threads)
                && Objects.equals(openFiles, r.openFiles) && Objects.equals(forksPerMinute, r.forksPerMinute)
                && Objects.equals(sustain, r.sustain);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cpuCores, memory, processes, threads, openFiles, forksPerMinute, sustain);
    }

    @Override
    public String toString() {
        return "ResourcesSpec{cpuCores=" + cpuCores + ", memory=" + memory + ", processes=" + processes + ", threads="
                + threads + ", openFiles=" + openFiles + ", forksPerMinute=" + forksPerMinute + ", sustain=" + sustain
                + "}";
    }
}
