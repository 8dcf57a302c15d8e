package dev.picket.injector.mutate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;

/** The volumes the sidecar needs, and where its service-account token comes from. */
public final class SidecarVolumes {

    /** Same lifetime as the kubelet's own kube-api-access volumes. */
    static final long TOKEN_EXPIRATION_SECONDS = 3607;

    private SidecarVolumes() {
    }

    /**
     * The volume whose token the sidecar mounts. The ServiceAccount admission plugin runs before webhooks and
     * mounts its token only into the containers that exist then; the sidecar reuses that volume. When the pod
     * has none (automountServiceAccountToken: false, or a service account that disables it) the sidecar brings
     * its own, mounted only into itself, and the user's field stays as it was.
     */
    static String tokenVolumeFor(PodSpec spec) {
        if (Boolean.FALSE.equals(spec.getAutomountServiceAccountToken())) {
            return PicketKeys.TOKEN_VOLUME;
        }
        return existingServiceAccountVolume(spec).orElse(PicketKeys.TOKEN_VOLUME);
    }

    private static Optional<String> existingServiceAccountVolume(PodSpec spec) {
        List<Volume> volumes = spec.getVolumes() == null ? List.of() : spec.getVolumes();
        List<Container> containers = spec.getContainers() == null ? List.of() : spec.getContainers();
        return containers.stream()
                .flatMap(c -> c.getVolumeMounts() == null ? java.util.stream.Stream.empty() : c.getVolumeMounts().stream())
                .filter(m -> PicketKeys.SERVICE_ACCOUNT_DIR.equals(m.getMountPath()))
                .map(VolumeMount::getName)
                // a mount without a name is invalid and the API server will say so; it is not ours to crash on
                .filter(java.util.Objects::nonNull)
                .filter(name -> volumes.stream().anyMatch(v -> name.equals(v.getName()) && v.getProjected() != null))
                .findFirst();
    }

    /** The volumes to append to the pod for a sidecar using {@code tokenVolume}. */
    static List<Volume> volumesFor(String tokenVolume) {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName(PicketKeys.STATE_VOLUME).withNewEmptyDir().endEmptyDir().build());
        // The root filesystem is read-only; the JVM needs a writable /tmp, kept small and in memory.
        volumes.add(new VolumeBuilder().withName(PicketKeys.TMP_VOLUME)
                .withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("16Mi")).endEmptyDir().build());
        if (PicketKeys.TOKEN_VOLUME.equals(tokenVolume)) {
            volumes.add(tokenVolume());
        }
        return volumes;
    }

    private static Volume tokenVolume() {
        return new VolumeBuilder().withName(PicketKeys.TOKEN_VOLUME)
                .withNewProjected()
                .addNewSource().withNewServiceAccountToken().withExpirationSeconds(TOKEN_EXPIRATION_SECONDS).withPath("token")
                .endServiceAccountToken().endSource()
                .addNewSource().withNewConfigMap().withName("kube-root-ca.crt")
                .addNewItem().withKey("ca.crt").withPath("ca.crt").endItem().endConfigMap().endSource()
                .addNewSource().withNewDownwardAPI()
                .addNewItem().withPath("namespace").withNewFieldRef().withApiVersion("v1").withFieldPath("metadata.namespace")
                .endFieldRef().endItem().endDownwardAPI().endSource()
                .withDefaultMode(420)
                .endProjected()
                .build();
    }
}
