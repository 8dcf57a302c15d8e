package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.nio.charset.StandardCharsets;

/**
 * Reads and validates profiles. Both ways in, a YAML file and a {@code WorkloadProfile} that fabric8 already
 * deserialised, go through the same checks, and neither ever throws: the answer is a value or every problem
 * with its field path.
 */
public final class ProfileReader {

    /** Turns a resource's spec back into a tree, so it is checked by the same walk as a file. */
    private static final ObjectMapper TREE = JsonMapper.builder()
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private ProfileReader() {
    }

    /**
     * A profile document: {@code apiVersion: picket.dev/v1alpha1}, {@code kind: WorkloadProfile},
     * {@code metadata.name} and {@code spec}, as in the file given by {@code picket.profile.path}.
     */
    public static Validated<WorkloadProfile> read(byte[] yaml) {
        Problems problems = new Problems();
        JsonNode tree = ProfileYaml.read(yaml, problems);
        if (tree == null) {
            return Validated.invalid(problems.list());
        }
        WorkloadProfile profile = new SpecValidator(problems).document(tree);
        return problems.isEmpty() ? Validated.valid(profile) : Validated.invalid(problems.list());
    }

    public static Validated<WorkloadProfile> read(String yaml) {
        return read(yaml == null ? null : yaml.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A resource from the API server (or built in code). Its spec is checked exactly like a file's; of the
     * metadata only the name is required. The answer is a copy with a freshly built spec; status and
     * metadata are shared with the input.
     */
    public static Validated<WorkloadProfile> validate(WorkloadProfile resource) {
        Problems problems = new Problems();
        if (resource == null) {
            problems.add("", "no resource");
            return Validated.invalid(problems.list());
        }
        ObjectMeta meta = resource.getMetadata();
        if (meta == null || meta.getName() == null || meta.getName().isEmpty()) {
            problems.add("metadata.name", "is required");
        }
        WorkloadProfileSpec spec = validateSpec(resource.getSpec(), "spec", problems);
        if (!problems.isEmpty()) {
            return Validated.invalid(problems.list());
        }
        WorkloadProfile copy = new WorkloadProfile();
        copy.setMetadata(meta);
        copy.setSpec(spec);
        copy.setStatus(resource.getStatus());
        return Validated.valid(copy);
    }

    /** A spec on its own (e.g. one the learner built); paths start with {@code spec}. */
    public static Validated<WorkloadProfileSpec> validateSpec(WorkloadProfileSpec spec) {
        Problems problems = new Problems();
        WorkloadProfileSpec checked = validateSpec(spec, "spec", problems);
        return problems.isEmpty() ? Validated.valid(checked) : Validated.invalid(problems.list());
    }

    private static WorkloadProfileSpec validateSpec(WorkloadProfileSpec spec, String path, Problems problems) {
        if (spec == null) {
            return new WorkloadProfileSpec();
        }
        JsonNode tree;
        try {
            tree = TREE.valueToTree(spec);
        } catch (RuntimeException e) {
            problems.add(path, "cannot be read: " + Text.oneLine(e.getMessage()));
            return null;
        }
        return new SpecValidator(problems).spec(tree, path);
    }
}
