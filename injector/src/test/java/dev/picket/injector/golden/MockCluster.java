package dev.picket.injector.golden;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.picket.injector.kube.ProfileDirectory;
import dev.picket.injector.policy.AdmissionProfile;
import dev.picket.injector.policy.ProfileLookup;
import dev.picket.injector.policy.ProfileParser;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** Puts the golden namespaces (and their labels) and WorkloadProfiles into the fabric8 mock API server. */
public final class MockCluster {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final ResourceDefinitionContext WORKLOAD_PROFILES = new ResourceDefinitionContext.Builder()
            .withGroup("picket.dev").withVersion("v1alpha1").withKind("WorkloadProfile").withPlural("workloadprofiles")
            .withNamespaced(true).build();

    private MockCluster() {
    }

    public static void createNamespaces(KubernetesClient client) {
        for (Map.Entry<String, Map<String, String>> entry : TestNamespaces.LABELS.entrySet()) {
            client.namespaces().resource(new NamespaceBuilder()
                    .withNewMetadata().withName(entry.getKey()).withLabels(entry.getValue()).endMetadata()
                    .build()).createOr(NonDeletingOperation::update);
        }
    }

    /**
     * Makes {@code profiles} the only WorkloadProfiles of {@code namespace} and waits until the injector's cache
     * holds exactly them, so the next admission request is judged by them.
     */
    public static void replaceProfiles(KubernetesClient client, ProfileDirectory directory, String namespace,
            List<JsonNode> profiles) {
        var resources = client.genericKubernetesResources(WORKLOAD_PROFILES).inNamespace(namespace);
        resources.delete();
        List<AdmissionProfile> expected = new ArrayList<>();
        for (JsonNode p : profiles) {
            GenericKubernetesResource created = resources
                    .resource(JSON.convertValue(p, GenericKubernetesResource.class)).create();
            expected.add(ProfileParser.parse(JSON.valueToTree(created)));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            ProfileLookup lookup = directory.lookup(namespace);
            if (lookup instanceof ProfileLookup.Available a
                    && new HashSet<>(a.profiles()).equals(new HashSet<>(expected)) && a.profiles().size() == expected.size()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the injector's WorkloadProfile cache of " + namespace + " holds " + lookup
                        + ", expected " + expected);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Removes every WorkloadProfile of the golden namespaces (other test classes share the mock server). */
    public static void removeProfiles(KubernetesClient client, ProfileDirectory directory) {
        for (String namespace : TestNamespaces.LABELS.keySet()) {
            replaceProfiles(client, directory, namespace, List.of());
        }
    }
}
