package dev.picket.injector.mutate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

/** Builds the {@code picket} container: the contract the sidecar image is built against. */
public final class SidecarContainer {

    private SidecarContainer() {
    }

    /**
     * @param tokenVolume the volume holding a service-account token for the sidecar (its own or the pod's)
     */
    public static Container build(SidecarOverrides overrides, SidecarUser user, String imagePullPolicy, String tokenVolume) {
        ContainerBuilder builder = new ContainerBuilder()
                .withName(PicketKeys.CONTAINER_NAME)
                .withImage(overrides.image())
                .withImagePullPolicy(imagePullPolicy)
                .addNewPort().withName(PicketKeys.CONTROL_PORT_NAME).withContainerPort(PicketKeys.CONTROL_PORT)
                .withProtocol("TCP").endPort()
                .addNewPort().withName(PicketKeys.MANAGEMENT_PORT_NAME).withContainerPort(PicketKeys.MANAGEMENT_PORT)
                .withProtocol("TCP").endPort()
                .withEnv(env(overrides))
                .withResources(new ResourceRequirementsBuilder()
                        .withRequests(cpuAndMemory(overrides.resources().cpuRequest(), overrides.resources().memoryRequest()))
                        .withLimits(cpuAndMemory(overrides.resources().cpuLimit(), overrides.resources().memoryLimit()))
                        .build())
                .withVolumeMounts(mounts(tokenVolume))
                // UP only once Picket has loaded its profile and finished its first scan: as a native sidecar
                // this holds back the app containers until then; 60 x 1 s allows for a slow first scan.
                .withStartupProbe(probe("/q/health/started", 1, 60))
                .withLivenessProbe(probe("/q/health/live", 10, 3))
                // DOWN when Picket quarantines the pod: the pod leaves its Services' endpoints within seconds.
                .withReadinessProbe(probe("/q/health/ready", 2, 1))
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(user.uid())
                .withRunAsGroup(user.gid())
                .withReadOnlyRootFilesystem(true)
                .withAllowPrivilegeEscalation(false)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .withNewCapabilities().withDrop("ALL").withAdd(user.capabilities()).endCapabilities()
                .endSecurityContext();
        if (overrides.nativeSidecar()) {
            // restartPolicy Always on an init container is what makes it a native sidecar (Kubernetes 1.29+).
            builder.withRestartPolicy("Always");
        }
        return builder.build();
    }

    /** Ordered (Map.of iterates in a per-JVM random order), so the same pod always yields the same patch. */
    private static Map<String, Quantity> cpuAndMemory(String cpu, String memory) {
        Map<String, Quantity> quantities = new LinkedHashMap<>();
        quantities.put("cpu", new Quantity(cpu));
        quantities.put("memory", new Quantity(memory));
        return quantities;
    }

    private static List<EnvVar> env(SidecarOverrides overrides) {
        List<EnvVar> env = new ArrayList<>();
        env.add(fieldRef("POD_NAME", "metadata.name"));
        env.add(fieldRef("POD_NAMESPACE", "metadata.namespace"));
        env.add(fieldRef("POD_UID", "metadata.uid"));
        env.add(new EnvVarBuilder().withName("PICKET_STATE_DIR").withValue(PicketKeys.STATE_DIR).build());
        overrides.mode().ifPresent(m -> env.add(new EnvVarBuilder().withName("PICKET_MODE").withValue(m).build()));
        overrides.profile().ifPresent(p -> env.add(new EnvVarBuilder().withName("PICKET_PROFILE_NAME").withValue(p).build()));
        return env;
    }

    private static EnvVar fieldRef(String name, String path) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewFieldRef().withApiVersion("v1").withFieldPath(path).endFieldRef().endValueFrom()
                .build();
    }

    private static List<VolumeMount> mounts(String tokenVolume) {
        return List.of(
                new VolumeMountBuilder().withName(PicketKeys.STATE_VOLUME).withMountPath(PicketKeys.STATE_DIR).build(),
                new VolumeMountBuilder().withName(PicketKeys.TMP_VOLUME).withMountPath(PicketKeys.TMP_DIR).build(),
                new VolumeMountBuilder().withName(tokenVolume).withMountPath(PicketKeys.SERVICE_ACCOUNT_DIR)
                        .withReadOnly(true).build());
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString(PicketKeys.MANAGEMENT_PORT)).withScheme("HTTP")
                .endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withFailureThreshold(failureThreshold)
                .withTimeoutSeconds(1)
                .build();
    }
}
