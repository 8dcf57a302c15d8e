package dev.picket.kube;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;

import java.util.Objects;
import java.util.Optional;

/**
 * The pod this sidecar runs in, from the downward API ({@code POD_NAME}, {@code POD_NAMESPACE}, {@code POD_UID}),
 * and the profile name the injector copied from the pod's {@code picket.dev/profile} annotation.
 *
 * @param uid         may be empty until the pod has been read from the API server
 * @param profileName the WorkloadProfile named for this pod, if any
 */
public record PodIdentity(String namespace, String name, Optional<String> uid, Optional<String> profileName) {

    public PodIdentity {
        Objects.requireNonNull(namespace);
        Objects.requireNonNull(name);
        Objects.requireNonNull(uid);
        Objects.requireNonNull(profileName);
    }

    /** The pod as the {@code regarding} object of an Event. */
    public ObjectReference reference(String uidFromApi) {
        return new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod").withNamespace(namespace)
                .withName(name).withUid(uidFromApi != null ? uidFromApi : uid.orElse(null)).build();
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
