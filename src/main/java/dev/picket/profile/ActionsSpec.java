package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Objects;

/**
 * {@code spec.actions}: one action per {@link ViolationKind}. Every absent action is {@code report}: a profile
 * opts in to killing or quarantining explicitly, kind by kind.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"process", "egress", "listen", "resource", "threat"})
public class ActionsSpec {

    @JsonProperty(defaultValue = "report")
    @JsonPropertyDescription("report | kill | quarantine, for PROCESS violations. Absent: report.")
    private ActionType process;

    @JsonProperty(defaultValue = "report")
    @JsonPropertyDescription("report | kill | quarantine, for EGRESS violations. Absent: report.")
    private ActionType egress;

    @JsonProperty(defaultValue = "report")
    @JsonPropertyDescription("report | kill | quarantine, for LISTEN violations. Absent: report.")
    private ActionType listen;

    @JsonProperty(defaultValue = "report")
    @JsonPropertyDescription("report | kill | quarantine, for RESOURCE violations. Absent: report.")
    private ActionType resource;

    @JsonProperty(defaultValue = "report")
    @JsonPropertyDescription("report | kill | quarantine, for THREAT violations. Absent: report.")
    private ActionType threat;

    public ActionsSpec() {
    }

    public ActionsSpec(ActionType process, ActionType egress, ActionType listen, ActionType resource,
            ActionType threat) {
        this.process = process;
        this.egress = egress;
        this.listen = listen;
        this.resource = resource;
        this.threat = threat;
    }

    /** The action written for {@code kind}, or null when the profile left it empty. */
    public ActionType get(ViolationKind kind) {
        return switch (kind) {
            case PROCESS -> process;
            case EGRESS -> egress;
            case LISTEN -> listen;
            case RESOURCE -> resource;
            case THREAT -> threat;
        };
    }

    public void set(ViolationKind kind, ActionType action) {
        switch (kind) {
            case PROCESS -> process = action;
            case EGRESS -> egress = action;
            case LISTEN -> listen = action;
            case RESOURCE -> resource = action;
            case THREAT -> threat = action;
        }
    }

    public ActionType getProcess() {
        return process;
    }

    public void setProcess(ActionType process) {
        this.process = process;
    }

    public ActionType getEgress() {
        return egress;
    }

    public void setEgress(ActionType egress) {
        this.egress = egress;
    }

    public ActionType getListen() {
        return listen;
    }

    public void setListen(ActionType listen) {
        this.listen = listen;
    }

    public ActionType getResource() {
        return resource;
    }

    public void setResource(ActionType resource) {
        this.resource = resource;
    }

    public ActionType getThreat() {
        return threat;
    }

    public void setThreat(ActionType threat) {
        this.threat = threat;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActionsSpec a && process == a.process && egress == a.egress && listen == a.listen
                && resource == a.resource && threat == a.threat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(process, egress, listen, resource, threat);
    }

    @Override
    public String toString() {
        return "ActionsSpec{process=" + process + ", egress=" + egress + ", listen=" + listen + ", resource="
                + resource + ", threat=" + threat + "}";
    }
}
