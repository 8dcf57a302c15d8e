package dev.picket.injector.mutate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;

/**
 * The injection as a pure function: pod and namespace in, decision out. No I/O, no clock, no client;
 * the webhook and the GitOps endpoint both call it, and the golden tests call it directly.
 * The given pod is never modified; fields the user set are never overwritten.
 */
public final class PodInjector {

    private final InjectionSettings settings;

    public PodInjector(InjectionSettings settings) {
        this.settings = settings;
    }

    public InjectionSettings settings() {
        return settings;
    }

    public Decision inject(Pod original, NamespaceInfo namespace) {
        InjectionSelector.Selection selection = InjectionSelector.select(original, namespace, settings);
        if (selection.skip().isPresent()) {
            return new Decision.Skipped(selection.skip().get());
        }
        if (selection.denial().isPresent()) {
            return new Decision.Denied(selection.denial().get());
        }
        PodSpec originalSpec = original.getSpec();
        if (originalSpec == null) {
            return new Decision.Denied("the pod has no spec");
        }

        AnnotationOverrides.Result resolved = AnnotationOverrides.resolve(InjectionSelector.annotations(original),
                settings.sidecar());
        if (resolved.overrides().isEmpty()) {
            return new Decision.Denied(String.join("; ", resolved.problems()));
        }
        SidecarOverrides overrides = resolved.overrides().get();

        if (Boolean.FALSE.equals(originalSpec.getShareProcessNamespace())) {
            // Never overwrite a user's explicit choice; without a shared PID namespace Picket sees nothing.
            return new Decision.Denied("spec.shareProcessNamespace is false, but the sidecar must share the pod's process "
                    + "namespace to watch the app; remove the field or label the pod " + PicketKeys.INJECT_LABEL + ": \"false\"");
        }

        SidecarUser.Result user = SidecarUser.resolve(overrides.uidMode(), originalSpec, settings.sidecar(), namespace);
        if (user.problem().isPresent()) {
            return new Decision.Denied(user.problem().get());
        }

        String tokenVolume = SidecarVolumes.tokenVolumeFor(originalSpec);
        List<Volume> newVolumes = SidecarVolumes.volumesFor(tokenVolume);
        Optional<String> collision = volumeCollision(originalSpec, newVolumes);
        if (collision.isPresent()) {
            return new Decision.Denied(("the pod already has a volume named %s; the names picket-* are reserved for the "
                    + "sidecar").formatted(collision.get()));
        }

        Container sidecar = SidecarContainer.build(overrides, user.user().get(), settings.sidecar().imagePullPolicy(),
                tokenVolume);
        InjectionStatus status = new InjectionStatus(settings.version(), PicketKeys.CONTAINER_NAME,
                overrides.nativeSidecar() ? "native" : "regular", overrides.uidMode().value(), overrides.image(),
                newVolumes.stream().map(Volume::getName).toList());

        Pod pod = PodJson.copy(original);
        PodSpec spec = pod.getSpec();
        if (overrides.nativeSidecar()) {
            // First init container: it starts (and passes its startup probe) before any other init container.
            List<Container> inits = new ArrayList<>();
            inits.add(sidecar);
            inits.addAll(nullToEmpty(spec.getInitContainers()));
            spec.setInitContainers(inits);
        } else {
            List<Container> containers = new ArrayList<>(nullToEmpty(spec.getContainers()));
            containers.add(sidecar);
            spec.setContainers(containers);
        }
        List<Volume> volumes = new ArrayList<>(nullToEmpty(spec.getVolumes()));
        volumes.addAll(newVolumes);
        spec.setVolumes(volumes);
        if (spec.getShareProcessNamespace() == null) {
            spec.setShareProcessNamespace(true);
        }
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        Map<String, String> annotations = new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        annotations.put(PicketKeys.STATUS_ANNOTATION, PodJson.toJson(status));
        meta.setAnnotations(annotations);
        pod.setMetadata(meta);
        return new Decision.Injected(pod, status);
    }

    private static Optional<String> volumeCollision(PodSpec spec, List<Volume> added) {
        Set<String> existing = nullToEmpty(spec.getVolumes()).stream().map(Volume::getName).collect(Collectors.toSet());
        return added.stream().map(Volume::getName).filter(existing::contains).findFirst();
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
