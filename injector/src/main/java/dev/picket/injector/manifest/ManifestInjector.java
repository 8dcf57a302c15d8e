package dev.picket.injector.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.picket.injector.mutate.Decision;
import dev.picket.injector.mutate.NamespaceInfo;
import dev.picket.injector.mutate.PicketKeys;
import dev.picket.injector.mutate.PodInjector;
import dev.picket.injector.mutate.PodJson;
import dev.picket.injector.mutate.PodPatch;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;

/**
 * Injects manifests before they are applied (GitOps). Uses the webhook's pure injection and applies the
 * resulting JSON Patch to the document as written, so fields fabric8 does not model, key order and
 * everything the injector did not touch come out exactly as they went in.
 *
 * <p>Asking for a manifest to be injected is an explicit opt-in: the namespace counts as enabled, while
 * the pod's own {@code picket.dev/inject: "false"}, hostNetwork and the namespace exclusions still apply.
 */
public final class ManifestInjector {

    private final PodInjector injector;

    public ManifestInjector(PodInjector injector) {
        this.injector = injector;
    }

    /** The injected documents and one outcome per workload (a List's items count one by one). */
    public record Result(List<JsonNode> documents, List<ManifestOutcome> outcomes) {
        public List<ManifestOutcome> denials() {
            return outcomes.stream().filter(o -> o.result().equals("denied")).toList();
        }
    }

    public Result inject(List<JsonNode> documents, String defaultNamespace) {
        List<ManifestOutcome> outcomes = new ArrayList<>();
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode document : documents) {
            out.add(injectDocument(document, defaultNamespace, outcomes));
        }
        return new Result(out, outcomes);
    }

    private JsonNode injectDocument(JsonNode document, String defaultNamespace, List<ManifestOutcome> outcomes) {
        if (!document.isObject()) {
            outcomes.add(new ManifestOutcome("?", "?", "unsupported", ""));
            return document;
        }
        String kind = document.path("kind").asText("?");
        String name = document.path("metadata").path("name").asText("?");
        if ("List".equals(kind) && document.path("items").isArray()) {
            ObjectNode list = document.deepCopy();
            ArrayNode items = list.putArray("items");
            for (JsonNode item : document.path("items")) {
                items.add(injectDocument(item, defaultNamespace, outcomes));
            }
            return list;
        }
        Optional<WorkloadKind> workload = WorkloadKind.of(document);
        if (workload.isEmpty()) {
            outcomes.add(new ManifestOutcome(kind, name, "unsupported", ""));
            return document;
        }
        JsonNode template = document.at(workload.get().podPath());
        if (!template.isObject()) {
            outcomes.add(new ManifestOutcome(kind, name, "denied", "%s/%s has no pod template".formatted(kind, name)));
            return document;
        }
        String namespace = document.path("metadata").path("namespace").asText("");
        NamespaceInfo target = NamespaceInfo.known(namespace.isEmpty() ? defaultNamespace : namespace,
                Map.of(PicketKeys.NAMESPACE_LABEL, PicketKeys.NAMESPACE_ENABLED));

        Pod pod;
        try {
            pod = PodJson.toPod(asPod(template));
        } catch (IllegalArgumentException e) {
            outcomes.add(new ManifestOutcome(kind, name, "denied", "%s/%s: %s".formatted(kind, name, e.getMessage())));
            return document;
        }
        return switch (injector.inject(pod, target)) {
            case Decision.Injected injected -> {
                JsonNode patch = PodPatch.diff(PodJson.toTree(pod), PodJson.toTree(injected.pod()));
                JsonNode patchedTemplate = JsonPatch.apply(patch, asPod(template));
                outcomes.add(new ManifestOutcome(kind, name, "injected", ""));
                yield replaceTemplate(document, workload.get(), patchedTemplate);
            }
            case Decision.Skipped skipped -> {
                outcomes.add(new ManifestOutcome(kind, name, "skipped", skipped.reason().code()));
                yield document;
            }
            case Decision.Denied denied -> {
                outcomes.add(new ManifestOutcome(kind, name, "denied", "%s/%s: %s".formatted(kind, name, denied.message())));
                yield document;
            }
        };
    }

    /** A template (or a Pod) as a Pod document; apiVersion and kind make it readable as one and are never patched. */
    private static JsonNode asPod(JsonNode template) {
        ObjectNode pod = template.deepCopy();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        return pod;
    }

    private static JsonNode replaceTemplate(JsonNode document, WorkloadKind workload, JsonNode patchedPod) {
        ObjectNode result = document.deepCopy();
        if (workload == WorkloadKind.POD) {
            return patchedPod;
        }
        ObjectNode template = (ObjectNode) result.at(workload.podPath());
        ObjectNode patched = ((ObjectNode) patchedPod).deepCopy();
        patched.remove("apiVersion");
        patched.remove("kind");
        template.removeAll();
        template.setAll(patched);
        return result;
    }
}
