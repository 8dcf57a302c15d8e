package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code WorkloadProfile} custom resource ({@code picket.dev/v1alpha1}); the profile file holds the same
 * document. Read files with {@link ProfileReader}, check resources from the API server with
 * {@link ProfileReader#validate(WorkloadProfile)}, and compile with {@link ProfileCompiler}.
 */
@Group(WorkloadProfile.GROUP)
@Version(WorkloadProfile.VERSION)
@Kind(WorkloadProfile.KIND)
@Plural("workloadprofiles")
@ShortNames("wp")
@JsonClassDescription("What a workload may do (processes, network, resources, threat rules) and what Picket does about"
        + " violations; see docs/profiles.md. Status is written by the Picket sidecars of the pods that use it.")
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".spec.mode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Pods", jsonPath = ".status.podCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Violations", jsonPath = ".status.violationsTotal",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Accepted", jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status",
        type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@SchemaSwap(originalType = WorkloadProfileSpec.class, fieldName = "selector",
        targetType = WorkloadProfileSchema.Selector.class)
@RegisterForReflection
public class WorkloadProfile extends CustomResource<WorkloadProfileSpec, WorkloadProfileStatus> implements Namespaced {

    private static final long serialVersionUID = 1L;

    public static final String GROUP = "picket.dev";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "WorkloadProfile";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    /** A resource with {@code metadata.name} and the given spec; no namespace. */
    public static WorkloadProfile of(String name, WorkloadProfileSpec spec) {
        WorkloadProfile p = new WorkloadProfile();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        p.setMetadata(meta);
        p.setSpec(spec);
        return p;
    }
}
