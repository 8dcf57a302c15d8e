package dev.picket.injector.policy;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * How the policies recognise the injector's own sidecar in a pod: a container named {@code picket} whose image is
 * from the repository of the configured sidecar image (any tag or digest, so pods injected by an older version are
 * recognised), or exactly the image the pod chose with {@code picket.dev/sidecar-image}. A container that merely
 * borrows the name is checked like any other.
 *
 * @param repository normalised repository of {@code picket.injector.sidecar.image}, empty if it cannot be parsed
 */
public record SidecarIdentity(String containerName, Optional<String> repository, String imageAnnotation,
        String statusAnnotation) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static SidecarIdentity of(String containerName, String configuredImage, String imageAnnotation,
            String statusAnnotation) {
        Optional<String> repository;
        try {
            repository = Optional.of(ImageReference.parse(configuredImage).repository());
        } catch (IllegalArgumentException e) {
            repository = Optional.empty();
        }
        return new SidecarIdentity(containerName, repository, imageAnnotation, statusAnnotation);
    }

    /** The sidecar as the pod-security gate sees it: configured repository, or the pod's own choice of image. */
    public boolean is(PodContainer c, Pod pod) {
        if (!containerName.equals(c.name()) || c.kind().equals("ephemeral container")) {
            return false;
        }
        return fromConfiguredRepository(c) || c.image() != null && c.image().equals(annotations(pod).get(imageAnnotation));
    }

    /**
     * Exempt from the image policy: only a sidecar from the configured repository. An image the pod chose by
     * annotation is the pod author's choice and is checked like the app's.
     */
    public boolean fromConfiguredRepository(PodContainer c) {
        if (!containerName.equals(c.name()) || c.kind().equals("ephemeral container") || repository.isEmpty()) {
            return false;
        }
        try {
            return ImageReference.parse(c.image()).repository().equals(repository.get());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The sidecar was injected in same-as-app UID mode (recorded in the status annotation): it shares the app's UID by design. */
    boolean sameUidMode(Pod pod) {
        String status = annotations(pod).get(statusAnnotation);
        if (status == null) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(status);
            return node != null && "same-as-app".equals(node.path("uidMode").asText());
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Map<String, String> annotations(Pod pod) {
        return pod.getMetadata() == null || pod.getMetadata().getAnnotations() == null ? Map.of()
                : pod.getMetadata().getAnnotations();
    }
}
