package dev.picket.profile;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learned-profile writer: deterministic, canonical, and read back to the same spec. */
class ProfileRendererTest {

    /** What a learner might hand over: unsorted, with duplicates, with values YAML would misread unquoted. */
    private static WorkloadProfileSpec learned() {
        WorkloadProfileSpec s = new WorkloadProfileSpec();
        s.setMode(Mode.LEARN);
        s.setLearn(new LearnSpec("10m", Mode.MONITOR));
        s.setSelector(new LabelSelector(List.of(new LabelSelectorRequirement("tier", "In", List.of("web", "api"))),
                Map.of("app", "checkout", "team", "payments")));
        s.setProcesses(new ProcessesSpec(new ArrayList<>(List.of(
                new ProcessRuleSpec("/usr/bin/python3.11", null),
                new ProcessRuleSpec("/bin/sh", "/usr/bin/python3.11"),
                new ProcessRuleSpec("**/gunicorn", null),
                new ProcessRuleSpec("{/bin/sh,/bin/bash}", "/usr/bin/python3.11"),
                new ProcessRuleSpec("/opt/[ab]*/run", null),
                new ProcessRuleSpec("/usr/bin/python3.11", null),
                new ProcessRuleSpec("/usr/bin/true", null))), false));
        s.setNetwork(new NetworkSpec(
                new ArrayList<>(List.of(
                        new EgressRuleSpec("2001:db8::/32", List.of(443), Protocol.TCP),
                        new EgressRuleSpec("10.0.0.7", List.of(5432, 5432), Protocol.TCP),
                        new EgressRuleSpec("9.9.9.9", List.of(53), Protocol.UDP),
                        new EgressRuleSpec("10.0.0.0/8", List.of(8443, 443), Protocol.TCP))),
                new ArrayList<>(List.of(new ListenRuleSpec(8000, Protocol.TCP), new ListenRuleSpec(53, Protocol.UDP),
                        new ListenRuleSpec(8000, Protocol.TCP)))));
        ResourcesSpec r = new ResourcesSpec();
        r.setCpuCores(0.75);
        r.setMemory(new Quantity("1073741824"));
        r.setProcesses(12);
        r.setForksPerMinute(60);
        s.setResources(r);
        s.setThreats(new ThreatsSpec(List.of("kube-api-contact")));
        s.setActions(new ActionsSpec());
        return s;
    }

    @Test
    void rendersALearnedProfileReadyToApply() {
        assertEquals("""
                apiVersion: picket.dev/v1alpha1
                kind: WorkloadProfile
                metadata:
                  name: checkout
                spec:
                  selector:
                    matchExpressions:
                      - key: tier
                        operator: In
                        values:
                          - api
                          - web
                    matchLabels:
                      app: checkout
                      team: payments
                  mode: enforce
                  processes:
                    allow:
                      - exe: '**/gunicorn'
                      - exe: /bin/sh
                        parent: /usr/bin/python3.11
                      - exe: "/opt/[ab]*/run"
                      - exe: /usr/bin/python3.11
                      - exe: /usr/bin/true
                      - exe: "{/bin/sh,/bin/bash}"
                        parent: /usr/bin/python3.11
                    allowRoot: false
                  network:
                    egress:
                      - cidr: 9.9.9.9
                        ports:
                          - 53
                        protocol: udp
                      - cidr: 10.0.0.0/8
                        ports:
                          - 443
                          - 8443
                        protocol: tcp
                      - cidr: 10.0.0.7
                        ports:
                          - 5432
                        protocol: tcp
                      - cidr: 2001:db8::/32
                        ports:
                          - 443
                        protocol: tcp
                    listen:
                      - port: 53
                        protocol: udp
                      - port: 8000
                        protocol: tcp
                  resources:
                    cpuCores: 0.75
                    memory: "1073741824"
                    processes: 12
                    forksPerMinute: 60
                  threats:
                    disable:
                      - kube-api-contact
                """, ProfileRenderer.renderLearned("checkout", learned()));
    }

    /**
     * A label value such as {@code 1e3} or {@code 0b101} is a string to Kubernetes but a number to a YAML 1.1 reader:
     * it is rendered quoted, so the rendered profile reads back as the same selector.
     */
    @Test
    void quotesStringsAReaderWouldTakeForNumbers() {
        WorkloadProfileSpec s = new WorkloadProfileSpec();
        s.setSelector(new LabelSelector(null, Map.of("a", "1e3", "c", "0b101", "d", "1.5", "e", "v1e3")));
        String rendered = ProfileRenderer.render("quoted", s);
        assertTrue(rendered.contains("a: \"1e3\""), rendered);
        assertTrue(rendered.contains("c: \"0b101\""), rendered);
        assertTrue(rendered.contains("e: v1e3"), rendered);
        Validated<WorkloadProfile> again = ProfileReader.read(rendered);
        assertTrue(again.isValid(), again.describe());
        assertEquals(ProfileRenderer.canonical(s).getSelector(), again.value().getSpec().getSelector());
    }

    @Test
    void roundTripsRenderParseValidateToTheSameSpec() {
        WorkloadProfileSpec spec = learned();
        String yaml = ProfileRenderer.renderLearned("checkout", spec);

        Validated<WorkloadProfile> read = ProfileReader.read(yaml);

        assertTrue(read.isValid(), read.describe());
        WorkloadProfileSpec expected = ProfileRenderer.canonical(spec);
        expected.setMode(Mode.ENFORCE);
        expected.setLearn(null);
        assertEquals(expected, read.value().getSpec());
        assertEquals("checkout", read.value().getMetadata().getName());
        assertEquals(yaml, ProfileRenderer.render("checkout", read.value().getSpec()));
    }

    @Test
    void isDeterministicAndLeavesItsInputAlone() {
        WorkloadProfileSpec spec = learned();
        WorkloadProfileSpec before = learned();

        String first = ProfileRenderer.renderLearned("checkout", spec);
        List<ProcessRuleSpec> allow = spec.getProcesses().getAllow();
        java.util.Collections.reverse(allow);
        java.util.Collections.reverse(spec.getNetwork().getEgress());
        String second = ProfileRenderer.renderLearned("checkout", spec);
        java.util.Collections.reverse(allow);
        java.util.Collections.reverse(spec.getNetwork().getEgress());

        assertEquals(first, second);
        assertEquals(before, spec);
        assertEquals(Mode.LEARN, spec.getMode());
    }

    @Test
    void leavesOutEmptySections() {
        WorkloadProfileSpec spec = new WorkloadProfileSpec();
        spec.setProcesses(new ProcessesSpec(List.of(), null));
        spec.setNetwork(new NetworkSpec(List.of(), List.of()));
        spec.setResources(new ResourcesSpec());
        spec.setThreats(new ThreatsSpec(List.of()));
        spec.setActions(new ActionsSpec());
        spec.setLearn(new LearnSpec());

        assertEquals("""
                apiVersion: picket.dev/v1alpha1
                kind: WorkloadProfile
                metadata:
                  name: empty
                spec:
                  mode: enforce
                """, ProfileRenderer.renderLearned("empty", spec));
        WorkloadProfileSpec canonical = ProfileRenderer.canonical(spec);
        assertNull(canonical.getProcesses());
        assertNull(canonical.getNetwork());
        assertNull(canonical.getSelector());
    }

    @Test
    void keepsAnEmptySelectorBecauseItSelectsEveryPod() {
        WorkloadProfileSpec spec = new WorkloadProfileSpec();
        spec.setSelector(new LabelSelector());

        String yaml = ProfileRenderer.render("all", spec);

        assertTrue(yaml.endsWith("spec:\n  selector: {}\n"), yaml);
        assertEquals(new LabelSelector(), ProfileReader.read(yaml).orElseThrow().getSpec().getSelector());
    }

    @Test
    void rendersACompiledProfileWithEveryDefaultWrittenOut() {
        Profile example = Docs.compile(Docs.resource("issue-example.yaml"));
        String yaml = ProfileRenderer.render(example);

        Profile again = Docs.compile(yaml);

        assertEquals(example, again);
        Profile defaults = Docs.compile(Docs.HEADER);
        assertEquals("""
                apiVersion: picket.dev/v1alpha1
                kind: WorkloadProfile
                metadata:
                  name: test
                spec:
                  mode: monitor
                  learn:
                    then: monitor
                  processes:
                    allowRoot: false
                  resources:
                    sustain: 5s
                  actions:
                    process: report
                    egress: report
                    listen: report
                    resource: report
                    threat: report
                  podSecurity: warn
                """, ProfileRenderer.render(defaults));
    }

    @Test
    void rendersTheAdmissionRulesSortedWithEveryActionWrittenOut() {
        Profile p = Docs.compile(Docs.withSpec("""
                images:
                  denyTags: {tags: [latest, "*-SNAPSHOT", latest]}
                  requireDigest: {}
                  allow:
                    action: deny
                    repositories: [registry.example.com/team/*, docker.io/library/python, registry.example.com/team/*]
                podSecurity: enforce
                """));
        assertEquals(new ImageRules(
                java.util.Optional.of(new ImageRules.Rule(java.util.List.of("registry.example.com/team/*",
                        "docker.io/library/python", "registry.example.com/team/*"), ImageAction.DENY)),
                java.util.Optional.of(ImageAction.WARN),
                java.util.Optional.of(new ImageRules.Rule(java.util.List.of("latest", "*-SNAPSHOT", "latest"),
                        ImageAction.WARN))), p.images());
        assertEquals(PodSecurityMode.ENFORCE, p.podSecurity());
        String yaml = ProfileRenderer.render(p);
        assertTrue(yaml.endsWith("""
                  images:
                    allow:
                      repositories:
                        - docker.io/library/python
                        - registry.example.com/team/*
                      action: deny
                    requireDigest:
                      action: warn
                    denyTags:
                      tags:
                        - '*-SNAPSHOT'
                        - latest
                      action: warn
                  podSecurity: enforce
                """), yaml);
        Profile again = Docs.compile(yaml);
        assertEquals(p.toSpec().getPodSecurity(), again.podSecurity());
        assertEquals(ProfileRenderer.render(p), ProfileRenderer.render(again));
    }

    @Test
    void aProfileWithoutImagesHasNoImageRule() {
        Profile p = Docs.compile(Docs.withSpec("images: {}"));
        assertEquals(ImageRules.NONE, p.images());
        assertEquals(PodSecurityMode.WARN, p.podSecurity());
    }
}
