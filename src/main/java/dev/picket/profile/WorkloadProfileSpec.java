package dev.picket.profile;

import io.fabric8.generator.annotation.ValidationRule;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Objects;

/**
 * {@code spec} of a workload profile: the same tree for the profile file and the {@code WorkloadProfile}
 * custom resource. Every field is optional; an absent field takes the default documented in
 * {@code docs/profiles.md} when the profile is compiled, so what a user wrote stays distinguishable from
 * what Picket filled in. Mutable for Jackson and fabric8; validated and compiled into {@link Profile}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"selector", "mode", "learn", "processes", "network", "resources", "threats", "actions", "images",
        "podSecurity"})
public class WorkloadProfileSpec {

    @JsonPropertyDescription("Pods (by label) this profile applies to when they carry no picket.dev/profile annotation."
            + " {} selects every pod of the namespace; more than one match: the oldest profile, then by name.")
    private LabelSelector selector;

    @JsonProperty(defaultValue = "monitor")
    @JsonPropertyDescription("learn | monitor | enforce. Absent: monitor (report what enforcing would do, act on nothing).")
    private Mode mode;

    @JsonPropertyDescription("How long to learn before switching modes; only used in learn mode.")
    @ValidationRule(value = "!has(self.then) || self.then != 'learn'", fieldPath = ".then", reason = "FieldValueInvalid",
            message = "must be monitor or enforce: learning cannot switch to learning")
    private LearnSpec learn;

    @JsonPropertyDescription("Which executables may run. No entries: no exec is allowed.")
    private ProcessesSpec processes;

    @JsonPropertyDescription("Which outbound connections and listening sockets are allowed. No entries: none is.")
    private NetworkSpec network;

    @JsonPropertyDescription("Ceilings on the whole neighbour; an absent ceiling is not checked.")
    private ResourcesSpec resources;

    @JsonPropertyDescription("Built-in threat rules to turn off.")
    private ThreatsSpec threats;

    @JsonPropertyDescription("What to do per violation kind: report | kill | quarantine. Absent: report.")
    private ActionsSpec actions;

    @JsonPropertyDescription("Image policy the Picket injector applies when a pod this profile governs is created:"
            + " allowed repositories, required digests, denied tags, each deny | warn. Not used by the sidecar.")
    private ImagesSpec images;

    @JsonProperty(defaultValue = "warn")
    @JsonPropertyDescription("warn | enforce: what the Picket injector does with a pod this profile governs that could"
            + " blind or bypass Picket (privileged, host namespaces, hostPath, added capabilities, privilege escalation,"
            + " the sidecar's UID). Absent: warn.")
    private PodSecurityMode podSecurity;

    public LabelSelector getSelector() {
        return selector;
    }

    public void setSelector(LabelSelector selector) {
        this.selector = selector;
    }

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public LearnSpec getLearn() {
        return learn;
    }

    public void setLearn(LearnSpec learn) {
        this.learn = learn;
    }

    public ProcessesSpec getProcesses() {
        return processes;
    }

    public void setProcesses(ProcessesSpec processes) {
        this.processes = processes;
    }

    public NetworkSpec getNetwork() {
        return network;
    }

    public void setNetwork(NetworkSpec network) {
        this.network = network;
    }

    public ResourcesSpec getResources() {
        return resources;
    }

    public void setResources(ResourcesSpec resources) {
        this.resources = resources;
    }

    public ThreatsSpec getThreats() {
        return threats;
    }

    public void setThreats(ThreatsSpec threats) {
        this.threats = threats;
    }

    public ActionsSpec getActions() {
        return actions;
    }

    public void setActions(ActionsSpec actions) {
        this.actions = actions;
    }

    public ImagesSpec getImages() {
        return images;
    }

    public void setImages(ImagesSpec images) {
        this.images = images;
    }

    public PodSecurityMode getPodSecurity() {
        return podSecurity;
    }

    public void setPodSecurity(PodSecurityMode podSecurity) {
        this.podSecurity = podSecurity;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkloadProfileSpec s && Objects.equals(selector, s.selector) && mode == s.mode
                && Objects.equals(learn, s.learn) && Objects.equals(processes, s.processes)
                && Objects.equals(network, s.network) && Objects.equals(resources, s.resources)
                && Objects.equals(threats, s.threats) && Objects.equals(actions, s.actions)
                && Objects.equals(images, s.images) && podSecurity == s.podSecurity;
    }

    @Override
    public int hashCode() {
        return Objects.hash(selector, mode, learn, processes, network, resources, threats, actions, images, podSecurity);
    }

    @Override
    public String toString() {
        return "WorkloadProfileSpec{selector=" + selector + ", mode=" + mode + ", learn=" + learn + ", processes="
                + processes + ", network=" + network + ", resources=" + resources + ", threats=" + threats
                + ", actions=" + actions + ", images=" + images + ", podSecurity=" + podSecurity + "}";
    }
}
