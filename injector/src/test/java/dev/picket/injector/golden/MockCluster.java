package dev.picket.injector.golden;

import java.util.Map;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

/** Puts the golden namespaces (and their labels) into the fabric8 mock API server. */
public final class MockCluster {

    private MockCluster() {
    }

    public static void createNamespaces(KubernetesClient client) {
        for (Map.Entry<String, Map<String, String>> entry : TestNamespaces.LABELS.entrySet()) {
            client.namespaces().resource(new NamespaceBuilder()
                    .withNewMetadata().withName(entry.getKey()).withLabels(entry.getValue()).endMetadata()
                    .build()).createOr(NonDeletingOperation::update);
        }
    }
}
