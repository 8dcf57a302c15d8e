package dev.picket.injector.install;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.AnyType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Reads Kubernetes YAML into typed fabric8 objects and rejects what the API server would not accept as
 * written: unknown fields, kinds the test does not know, and custom resources that do not have their
 * kind's structure.
 *
 * <p>fabric8's model classes keep unknown fields in {@code additionalProperties} (a Jackson any-setter),
 * so FAIL_ON_UNKNOWN_PROPERTIES alone never fires for them. This mapper removes the any-setter from
 * every model class except {@link GenericKubernetesResource} and {@link AnyType}, whose purpose is to
 * hold arbitrary content; a misspelt field then fails with its class and the known field names.
 */
final class StrictParser {

    /** Built-in kinds the manifests may contain, each read into its fabric8 class. */
    static final Set<String> TYPED_KINDS = Set.of(
            "v1/Namespace", "v1/ServiceAccount", "v1/Service", "v1/ConfigMap",
            "apps/v1/Deployment",
            "policy/v1/PodDisruptionBudget",
            "scheduling.k8s.io/v1/PriorityClass",
            "networking.k8s.io/v1/NetworkPolicy",
            "rbac.authorization.k8s.io/v1/ClusterRole", "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
            "rbac.authorization.k8s.io/v1/Role", "rbac.authorization.k8s.io/v1/RoleBinding",
            "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration",
            "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy",
            "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding",
            "apiextensions.k8s.io/v1/CustomResourceDefinition");

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesSerialization STRICT = new KubernetesSerialization(strictMapper(), true);

    private StrictParser() {
    }

    private static ObjectMapper strictMapper() {
        SimpleModule noAnySetter = new SimpleModule("picket-strict");
        noAnySetter.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                    BeanDeserializerBuilder builder) {
                Class<?> type = bean.getBeanClass();
                if (!GenericKubernetesResource.class.isAssignableFrom(type) && !AnyType.class.isAssignableFrom(type)) {
                    builder.setAnySetter(null);
                }
                return builder;
            }
        });
        return new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .registerModule(noAnySetter);
    }

    /** The objects of one YAML stream, and every problem found in it (empty when all is well). */
    record Parsed(List<HasMetadata> objects, List<String> problems) {
    }

    static List<JsonNode> documents(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && !node.isNull() && !node.isMissingNode() && !node.isEmpty()) {
                    documents.add(node);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
        }
        return documents;
    }

    static Parsed parse(String yaml, String origin) {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<JsonNode> documents;
        try {
            documents = documents(yaml);
        } catch (IllegalArgumentException e) {
            return new Parsed(objects, List.of(origin + ": " + e.getMessage()));
        }
        for (int i = 0; i < documents.size(); i++) {
            JsonNode doc = documents.get(i);
            String where = origin + " document " + (i + 1) + " (" + doc.path("kind").asText("?") + " "
                    + doc.path("metadata").path("name").asText("?") + ")";
            String kind = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            Shape shape = CustomResourceShapes.BY_KIND.get(kind);
            if (!TYPED_KINDS.contains(kind) && shape == null) {
                problems.add(where + ": " + kind + " is a kind this test does not know how to check; add it to "
                        + "StrictParser.TYPED_KINDS (fabric8 model) or CustomResourceShapes.BY_KIND (custom resource)");
                continue;
            }
            Object read;
            try {
                read = STRICT.unmarshal(JSON.writeValueAsString(doc));
            } catch (RuntimeException | IOException e) {
                problems.add(where + ": " + firstLine(e.getMessage()));
                continue;
            }
            if (shape != null) {
                shape.problems(doc).forEach(p -> problems.add(where + ": " + p));
            } else if (read instanceof GenericKubernetesResource) {
                problems.add(where + ": " + kind + " was not read into its fabric8 model class");
                continue;
            }
            if (read instanceof HasMetadata object) {
                objects.add(object);
            } else {
                problems.add(where + ": not a Kubernetes object");
            }
        }
        return new Parsed(objects, problems);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
