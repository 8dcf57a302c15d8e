package dev.picket.injector.mutate;

import java.util.Map;
import java.util.Optional;

/**
 * The namespace a pod is created in, and its labels when they could be read.
 * An empty {@code labels} means the lookup failed: the decision must not pretend to know them.
 *
 * @param name the namespace of the admission request (authoritative; the pod's own metadata.namespace may be empty or wrong)
 */
public record NamespaceInfo(String name, Optional<Map<String, String>> labels) {

    public static NamespaceInfo known(String name, Map<String, String> labels) {
        return new NamespaceInfo(name, Optional.of(Map.copyOf(labels)));
    }

    public static NamespaceInfo unknown(String name) {
        return new NamespaceInfo(name, Optional.empty());
    }

    public Optional<Boolean> injectionEnabled() {
        return labels.map(l -> PicketKeys.NAMESPACE_ENABLED.equals(l.get(PicketKeys.NAMESPACE_LABEL)));
    }

    public Optional<String> podSecurityEnforce() {
        return labels.map(l -> l.get(PicketKeys.POD_SECURITY_ENFORCE_LABEL));
    }
}
