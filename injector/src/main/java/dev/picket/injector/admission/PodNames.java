package dev.picket.injector.admission;

/** How a pod is named in logs: controllers create pods with only generateName, so the name may not exist yet. */
final class PodNames {

    private PodNames() {
    }

    static String display(AdmissionCall call) {
        String namespace = call.namespace() == null || call.namespace().isBlank() ? "?" : call.namespace();
        String name = call.name();
        if (name == null || name.isBlank()) {
            name = call.object() == null ? "" : call.object().path("metadata").path("name").asText("");
        }
        if (name.isBlank()) {
            String generate = call.object() == null ? "" : call.object().path("metadata").path("generateName").asText("");
            name = generate.isBlank() ? "?" : generate + "*";
        }
        return AdmissionReviewReader.printable(namespace + "/" + name);
    }
}
