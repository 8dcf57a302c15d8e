package dev.picket.injector.policy;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;

/**
 * A container of any of the three kinds, as the policies see it.
 *
 * @param kind {@code container}, {@code init container} or {@code ephemeral container}: how messages name it
 */
public record PodContainer(String kind, String name, String image, SecurityContext securityContext) {

    /** Init containers, containers, then ephemeral containers, each in the pod's order. */
    public static List<PodContainer> of(PodSpec spec) {
        List<PodContainer> out = new ArrayList<>();
        if (spec == null) {
            return out;
        }
        if (spec.getInitContainers() != null) {
            for (Container c : spec.getInitContainers()) {
                out.add(new PodContainer("init container", c.getName(), c.getImage(), c.getSecurityContext()));
            }
        }
        if (spec.getContainers() != null) {
            for (Container c : spec.getContainers()) {
                out.add(new PodContainer("container", c.getName(), c.getImage(), c.getSecurityContext()));
            }
        }
        if (spec.getEphemeralContainers() != null) {
            for (EphemeralContainer c : spec.getEphemeralContainers()) {
                out.add(new PodContainer("ephemeral container", c.getName(), c.getImage(), c.getSecurityContext()));
            }
        }
        return out;
    }

    /** {@code init container setup}: the subject of a message. */
    public String display() {
        return kind + " " + Messages.printable(name == null ? "?" : name, 63);
    }
}
