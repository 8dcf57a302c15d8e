package dev.picket.injector.mutate;

import io.fabric8.kubernetes.api.model.Pod;

/** The outcome of {@link PodInjector#inject}: a pod with the sidecar, a reasoned skip, or a refusal. */
public sealed interface Decision {

    /** The mutated copy; the caller diffs it against the original to obtain the patch. */
    record Injected(Pod pod, InjectionStatus status) implements Decision {
    }

    record Skipped(SkipReason reason) implements Decision {
    }

    /** The pod asked for Picket but cannot be given it; the message names the field or annotation at fault. */
    record Denied(String message) implements Decision {
    }
}
