package dev.picket.injector.config;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.picket.injector.mutate.AnnotationOverrides;
import dev.picket.injector.mutate.InjectionSettings;
import dev.picket.injector.mutate.PicketKeys;
import dev.picket.injector.mutate.PodInjector;
import dev.picket.injector.mutate.ResourceSettings;
import dev.picket.injector.mutate.SidecarSettings;
import io.quarkus.runtime.configuration.ConfigurationException;

/** Turns configuration into the pure injector's settings, refusing to start on defaults that could never inject. */
@ApplicationScoped
public class SettingsProducer {

    @Produces
    @Singleton
    PodInjector podInjector(InjectorConfig config) {
        return new PodInjector(settings(config));
    }

    static InjectionSettings settings(InjectorConfig config) {
        InjectorConfig.Sidecar sidecar = config.sidecar();
        InjectorConfig.Resources resources = sidecar.resources();
        SidecarSettings settings = new SidecarSettings(sidecar.image(), sidecar.imagePullPolicy(), sidecar.nativeSidecar(),
                sidecar.uidMode(), sidecar.uid(), sidecar.gid(),
                new ResourceSettings(resources.cpuRequest(), resources.cpuLimit(), resources.memoryRequest(),
                        resources.memoryLimit()));
        validate(settings);
        return new InjectionSettings(settings, config.namespace(), config.excludedNamespaces(), config.version());
    }

    private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");

    /** Which setting each annotation overrides, to name the setting when a default is invalid. */
    private static final Map<String, String> SETTING_OF = Map.of(
            PicketKeys.IMAGE_ANNOTATION, "picket.injector.sidecar.image",
            PicketKeys.CPU_REQUEST_ANNOTATION, "picket.injector.sidecar.resources.cpu-request",
            PicketKeys.CPU_LIMIT_ANNOTATION, "picket.injector.sidecar.resources.cpu-limit",
            PicketKeys.MEMORY_REQUEST_ANNOTATION, "picket.injector.sidecar.resources.memory-request",
            PicketKeys.MEMORY_LIMIT_ANNOTATION, "picket.injector.sidecar.resources.memory-limit");

    /**
     * Checks the defaults with the same rules as the per-pod annotations (by presenting every default as if
     * it were set as an annotation), so a typo in the Deployment fails at start-up instead of denying every pod.
     */
    static void validate(SidecarSettings settings) {
        if (settings.uid() <= 0 || settings.gid() < 0) {
            throw new ConfigurationException("picket.injector.sidecar.uid must be a non-root UID (> 0) and gid >= 0");
        }
        if (!PULL_POLICIES.contains(settings.imagePullPolicy())) {
            throw new ConfigurationException("picket.injector.sidecar.image-pull-policy must be Always, IfNotPresent or Never");
        }
        ResourceSettings r = settings.resources();
        AnnotationOverrides.Result result = AnnotationOverrides.resolve(Map.of(
                PicketKeys.IMAGE_ANNOTATION, settings.image(),
                PicketKeys.CPU_REQUEST_ANNOTATION, r.cpuRequest(),
                PicketKeys.CPU_LIMIT_ANNOTATION, r.cpuLimit(),
                PicketKeys.MEMORY_REQUEST_ANNOTATION, r.memoryRequest(),
                PicketKeys.MEMORY_LIMIT_ANNOTATION, r.memoryLimit()), settings);
        if (!result.problems().isEmpty()) {
            String message = String.join("; ", result.problems());
            for (Map.Entry<String, String> e : SETTING_OF.entrySet()) {
                message = message.replace("annotation " + e.getKey(), "setting " + e.getValue());
            }
            throw new ConfigurationException("invalid sidecar settings: " + message);
        }
    }
}
