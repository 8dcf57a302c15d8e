package dev.picket.profile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The custom-resource side (#5): fabric8 reads the same document, and its objects go through the same checks. */
class WorkloadProfileResourceTest {

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Test
    void isTheWorkloadProfileKindOfPicketDev() {
        assertEquals("picket.dev/v1alpha1", HasMetadata.getApiVersion(WorkloadProfile.class));
        assertEquals("WorkloadProfile", HasMetadata.getKind(WorkloadProfile.class));
        assertEquals("workloadprofiles", HasMetadata.getPlural(WorkloadProfile.class));
        assertEquals("workloadprofiles.picket.dev", CustomResource.getCRDName(WorkloadProfile.class));
        assertArrayEquals(new String[] {"wp"}, CustomResource.getShortNames(WorkloadProfile.class));
        assertEquals("Namespaced", new WorkloadProfile().getScope());
    }

    @Test
    void fabric8ReadsTheFileFormatIntoTheSameModel() {
        String yaml = Docs.resource("issue-example.yaml");
        WorkloadProfile fromFabric8 = serialization.unmarshal(yaml, WorkloadProfile.class);
        WorkloadProfile fromFile = ProfileReader.read(yaml).orElseThrow();

        assertEquals(fromFile.getSpec(), fromFabric8.getSpec());
        Validated<WorkloadProfile> validated = ProfileReader.validate(fromFabric8);
        assertTrue(validated.isValid(), validated.describe());
        assertEquals(fromFile.getSpec(), validated.value().getSpec());
        assertEquals(Docs.compile(yaml).withGeneration(3).processes(),
                ProfileCompiler.fromResource(fromFabric8, 3).orElseThrow().processes());
    }

    @Test
    void fabric8ReadsTheAdmissionRulesAsTheFileDoes() {
        String yaml = Docs.withSpec("""
                images:
                  allow: {repositories: ["registry.example.com/team/**"], action: deny}
                  requireDigest: {action: warn}
                  denyTags: {tags: [latest]}
                podSecurity: enforce
                """);
        WorkloadProfile fromFabric8 = serialization.unmarshal(yaml, WorkloadProfile.class);
        WorkloadProfile fromFile = ProfileReader.read(yaml).orElseThrow();

        assertEquals(fromFile.getSpec(), fromFabric8.getSpec());
        assertEquals(ImageAction.DENY, fromFabric8.getSpec().getImages().getAllow().getAction());
        assertEquals(PodSecurityMode.ENFORCE, fromFabric8.getSpec().getPodSecurity());
        Validated<WorkloadProfile> validated = ProfileReader.validate(fromFabric8);
        assertTrue(validated.isValid(), validated.describe());
        assertEquals(Docs.compile(yaml).images(), ProfileCompiler.fromResource(fromFabric8, 1).orElseThrow().images());

        WorkloadProfileSpec bad = new WorkloadProfileSpec();
        bad.setImages(new ImagesSpec(new ImageAllowSpec(List.of("nginx"), null), null, new DenyTagsSpec(null, null)));
        assertEquals(List.of(
                "spec.images.allow.repositories[0]: \"nginx\" starts with no registry: patterns match the full repository "
                        + "name, registry included (docker.io/library/nginx for the image nginx), so start with a registry "
                        + "host, or with * or **",
                "spec.images.denyTags.tags: is required: the tags to deny, e.g. [latest]"),
                ProfileReader.validate(WorkloadProfile.of("x", bad)).problems().stream()
                        .map(ValidationProblem::toString).toList());
    }

    @Test
    void aResourceIsCheckedWithTheSamePathsAsAFile() {
        WorkloadProfileSpec spec = new WorkloadProfileSpec();
        spec.setNetwork(new NetworkSpec(List.of(new EgressRuleSpec("10.0.0.0/8", List.of(0), null)),
                List.of(new ListenRuleSpec(null, Protocol.TCP))));
        ResourcesSpec r = new ResourcesSpec();
        r.setSustain("5 seconds");
        spec.setResources(r);
        spec.setThreats(new ThreatsSpec(List.of("reverse-shell", "no-such-rule")));
        WorkloadProfile wp = WorkloadProfile.of("checkout", spec);

        Validated<WorkloadProfile> v = ProfileReader.validate(wp);

        assertFalse(v.isValid());
        assertEquals(List.of(
                "spec.network.egress[0].ports[0]: must be a port between 1 and 65535, got 0",
                "spec.network.listen[0].port: is required",
                "spec.resources.sustain: \"5 seconds\" is not a valid duration (e.g. 30s, 10m, 1h30m): unknown unit "
                        + "\" seconds\" (use ns, us, ms, s, m or h)",
                "spec.threats.disable[1]: unknown threat rule \"no-such-rule\"; known rules: exec-from-writable-dir, "
                        + "fileless-exec, reverse-shell, mining-pool, cloud-metadata, kube-api-contact, packet-socket, "
                        + "namespace-change, ptrace-attached, preload-injection, privilege-change, runtime-socket, "
                        + "fork-burst"),
                v.problems().stream().map(ValidationProblem::toString).toList());
    }

    @Test
    void unknownFieldsThatFabric8KeepsAsAdditionalPropertiesAreRefused() {
        WorkloadProfileSpec spec = new WorkloadProfileSpec();
        LabelSelector selector = new LabelSelector();
        selector.setMatchLabels(Map.of("app", "checkout"));
        selector.setAdditionalProperty("matchLabel", Map.of("app", "x"));
        spec.setSelector(selector);

        assertEquals("spec.selector.matchLabel: unknown field (did you mean \"matchLabels\"?); known fields: "
                + "matchLabels, matchExpressions", ProfileReader.validate(WorkloadProfile.of("x", spec)).describe());
    }

    @Test
    void statusCarriesWhatTheSidecarsReport() {
        WorkloadProfileStatus status = new WorkloadProfileStatus();
        status.setObservedGeneration(4L);
        status.setPods(List.of("checkout-7d9c-abcde", "checkout-7d9c-fghij"));
        status.setViolations(Map.of("egress", 3L));
        status.setQuarantinedPods(List.of("checkout-7d9c-fghij"));
        status.setLearned(ProfileReader.read(Docs.resource("issue-example.yaml")).orElseThrow().getSpec());
        status.setConditions(List.of(new Condition("2026-11-28T10:00:00Z", "spec accepted", 4L, "Valid", "True",
                "Accepted")));
        WorkloadProfile wp = WorkloadProfile.of("checkout", new WorkloadProfileSpec());
        wp.setStatus(status);

        String yaml = serialization.asYaml(wp);
        WorkloadProfile back = serialization.unmarshal(yaml, WorkloadProfile.class);

        assertEquals(status, back.getStatus());
        assertTrue(yaml.contains("observedGeneration: 4"), yaml);
        assertTrue(ProfileReader.validate(back).isValid());
    }
}
