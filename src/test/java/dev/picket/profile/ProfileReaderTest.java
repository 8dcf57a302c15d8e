package dev.picket.profile;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.picket.profile.Docs.problems;
import static dev.picket.profile.Docs.withSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading and validating profile documents: the issue's example, and every kind of problem with its path. */
class ProfileReaderTest {

    @Test
    void readsTheIssueExampleVerbatim() {
        Validated<WorkloadProfile> v = ProfileReader.read(Docs.resource("issue-example.yaml"));

        assertTrue(v.isValid(), v.describe());
        WorkloadProfile wp = v.value();
        assertEquals("checkout", wp.getMetadata().getName());
        WorkloadProfileSpec s = wp.getSpec();
        assertEquals(Mode.ENFORCE, s.getMode());
        assertEquals(new LearnSpec("10m", Mode.MONITOR), s.getLearn());
        assertEquals(new ProcessesSpec(List.of(new ProcessRuleSpec("/usr/bin/python3*", null),
                new ProcessRuleSpec("/bin/sh", "/usr/bin/python3*")), false), s.getProcesses());
        assertEquals(new NetworkSpec(List.of(new EgressRuleSpec("10.0.0.0/8", List.of(5432), Protocol.TCP)),
                List.of(new ListenRuleSpec(8000, Protocol.TCP))), s.getNetwork());
        ResourcesSpec r = s.getResources();
        assertEquals(0.5, r.getCpuCores());
        assertEquals(new Quantity("256Mi"), r.getMemory());
        assertEquals(20, r.getProcesses());
        assertEquals(200, r.getThreads());
        assertEquals(1024, r.getOpenFiles());
        assertEquals(120, r.getForksPerMinute());
        assertEquals("5s", r.getSustain());
        assertEquals(List.of(), s.getThreats().getDisable());
        assertEquals(new ActionsSpec(ActionType.KILL, ActionType.QUARANTINE, ActionType.REPORT, ActionType.REPORT,
                ActionType.QUARANTINE), s.getActions());
    }

    @Test
    void keepsAbsentFieldsAbsentSoDefaultsStayDistinguishable() {
        WorkloadProfileSpec s = ProfileReader.read(withSpec("mode: learn")).orElseThrow().getSpec();

        assertEquals(Mode.LEARN, s.getMode());
        assertNull(s.getProcesses());
        assertNull(s.getNetwork());
        assertNull(s.getActions());
    }

    @Test
    void aDocumentWithoutSpecIsValid() {
        assertTrue(ProfileReader.read(Docs.HEADER).isValid());
    }

    @Test
    void acceptsWhatKubectlGetAddsToMetadataAndStatus() {
        String yaml = """
                apiVersion: picket.dev/v1alpha1
                kind: WorkloadProfile
                metadata:
                  name: checkout
                  namespace: shop
                  uid: 5b7c1a9e-0000-4000-8000-000000000000
                  resourceVersion: "4711"
                  generation: 3
                  creationTimestamp: "2026-11-28T10:00:00Z"
                  labels: {team: payments}
                  annotations: {note: "learned on staging"}
                spec:
                  mode: monitor
                status:
                  observedGeneration: 3
                """;
        WorkloadProfile wp = ProfileReader.read(yaml).orElseThrow();
        assertEquals("shop", wp.getMetadata().getNamespace());
        assertEquals("payments", wp.getMetadata().getLabels().get("team"));
    }

    @Test
    void reportsEveryProblemOfADocumentWithTheirPaths() {
        String yaml = """
                apiVersion: v1
                kind: Foo
                metadata: {name: X}
                spec:
                  mode: Enforce
                  proceses: {}
                  network:
                    egress:
                      - cidr: 10.0.0.0/33
                        ports: [0, 70000, "80"]
                      - cidr: 10.1.2.3/8
                      - {}
                  resources: {memory: 12XB, cpuCores: "1", sustain: 5}
                  threats: {disable: [foo, reverse-shel]}
                  actions: {process: nuke}
                  learn: {duration: 10 minutes, then: learn}
                """;
        String known = "exec-from-writable-dir, fileless-exec, reverse-shell, mining-pool, cloud-metadata, "
                + "kube-api-contact, packet-socket, namespace-change, ptrace-attached, preload-injection, "
                + "privilege-change, runtime-socket, fork-burst";
        assertEquals(String.join("\n",
                "apiVersion: must be picket.dev/v1alpha1, got \"v1\"",
                "kind: must be WorkloadProfile, got \"Foo\"",
                "metadata.name: \"X\" is not a valid name: lower-case letters, digits, '-' and '.', at most 253 characters",
                "spec.proceses: unknown field (did you mean \"processes\"?); known fields: selector, mode, learn, "
                        + "processes, network, resources, threats, actions, images, podSecurity",
                "spec.mode: \"Enforce\" is not one of learn, monitor, enforce (write it in lower case)",
                "spec.learn.duration: \"10 minutes\" is not a valid duration (e.g. 30s, 10m, 1h30m): unknown unit "
                        + "\" minutes\" (use ns, us, ms, s, m or h)",
                "spec.learn.then: must be monitor or enforce: learning cannot switch to learning",
                "spec.network.egress[0].cidr: \"10.0.0.0/33\" is not a valid CIDR: the network prefix bit-length is "
                        + "negative or exceeds the address bit-length",
                "spec.network.egress[0].ports[0]: must be a port between 1 and 65535, got 0",
                "spec.network.egress[0].ports[1]: must be a port between 1 and 65535, got 70000",
                "spec.network.egress[0].ports[2]: must be a whole number, got the string \"80\"",
                "spec.network.egress[1].cidr: \"10.1.2.3/8\" is not a valid CIDR: has host bits set; did you mean "
                        + "10.0.0.0/8 or 10.1.2.3/32?",
                "spec.network.egress[2].cidr: is required (use 0.0.0.0/0 and ::/0 for any address)",
                "spec.resources.cpuCores: must be a number of cores, e.g. 0.5; got the string \"1\"",
                "spec.resources.memory: \"12XB\" is not a Kubernetes quantity (e.g. 256Mi, 1Gi, 500M)",
                "spec.resources.sustain: must be a duration with a unit, e.g. 5s or 10m; got the number 5",
                "spec.threats.disable[0]: unknown threat rule \"foo\"; known rules: " + known,
                "spec.threats.disable[1]: unknown threat rule \"reverse-shel\" (did you mean \"reverse-shell\"?); "
                        + "known rules: " + known,
                "spec.actions.process: \"nuke\" is not one of report, kill, quarantine"), problems(yaml));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            mode: 3                                  | spec.mode: must be a string, got the number 3
            mode: [enforce]                          | spec.mode: must be a string, got a list
            mode: paranoid                           | spec.mode: "paranoid" is not one of learn, monitor, enforce
            learn: 10m                               | spec.learn: must be a mapping with the fields duration, then; got the string "10m"
            learn: {duration: 0s}                    | spec.learn.duration: "0s" must be between 1s and 2160h
            learn: {duration: 91d}                   | spec.learn.duration: "91d" is not a valid duration (e.g. 30s, 10m, 1h30m): unknown unit "d" (use ns, us, ms, s, m or h)
            learn: {duration: 2161h}                 | spec.learn.duration: "2161h" must be between 1s and 2160h
            learn: {then: Monitor}                   | spec.learn.then: "Monitor" is not one of learn, monitor, enforce (write it in lower case)
            processes: {allow: {exe: /bin/sh}}       | spec.processes.allow: must be a list, got a mapping
            processes: {allow: [/bin/sh]}            | spec.processes.allow[0]: must be a mapping with the fields exe, parent; got the string "/bin/sh"
            processes: {allow: [{exe: python3}]}     | spec.processes.allow[0].exe: "python3" is not an absolute path: executables are matched by their full path, so start with / (or with ** to match in any directory)
            processes: {allow: [{exe: "/bin/[a"}]}   | spec.processes.allow[0].exe: "/bin/[a" is not a valid glob: Missing '] at index 6
            processes: {allow: [{exe: "/{a,{b}}"}]}  | spec.processes.allow[0].exe: "/{a,{b}}" is not a valid glob: Cannot nest groups at index 4
            processes: {allow: [{exe: "/x[a/b]"}]}   | spec.processes.allow[0].exe: "/x[a/b]" is not a valid glob: Explicit 'name separator' in class at index 4
            processes: {allow: [{exe: /bin/sh, parent: "/a\\\\"}]} | spec.processes.allow[0].parent: "/a\\\\" is not a valid glob: No character to escape at index 2
            processes: {allow: [{parent: /bin/sh}]}  | spec.processes.allow[0].exe: is required
            processes: {allow: [{exe: /bin/sh, user: root}]} | spec.processes.allow[0].user: unknown field; known fields: exe, parent
            processes: {allowRoot: "false"}          | spec.processes.allowRoot: must be true or false, got the string "false"
            processes: {allowroot: true}             | spec.processes.allowroot: unknown field (did you mean "allowRoot"?); known fields: allow, allowRoot
            network: {egress: [{cidr: 10.0.0.0/8, protocol: icmp}]} | spec.network.egress[0].protocol: "icmp" is not one of tcp, udp, any
            network: {egress: [{cidr: 10.0.0.0/8, ports: 443}]} | spec.network.egress[0].ports: must be a list, got the number 443
            network: {egress: [{cidr: 10.0.0.0/8, ports: [443.5]}]} | spec.network.egress[0].ports[0]: must be a whole number, got the number 443.5
            network: {egress: [{cidr: 10.0.0.0/8, ports: [~]}]} | spec.network.egress[0].ports[0]: must be a port between 1 and 65535, got null
            network: {egress: [{cidr: 10.0.0.0/08}]} | spec.network.egress[0].cidr: "10.0.0.0/08" is not a valid CIDR: the prefix length after / must be a number without leading zeros
            network: {egress: [{cidr: 1.2.3}]}       | spec.network.egress[0].cidr: "1.2.3" is not a valid CIDR: options do not allow IPv4 address with less than four segments
            network: {egress: [{cidr: "10.0.0.*"}]}  | spec.network.egress[0].cidr: "10.0.0.*" is not a valid CIDR: has an unexpected character "*"
            network: {egress: [{cidr: "fe80::1%eth0"}]} | spec.network.egress[0].cidr: "fe80::1%eth0" is not a valid CIDR: has an unexpected character "%"
            network: {egress: [{cidr: 2001:db8::/129}]} | spec.network.egress[0].cidr: "2001:db8::/129" is not a valid CIDR: the network prefix bit-length is negative or exceeds the address bit-length
            network: {egress: [{cidr: 2001:db8::1/32}]} | spec.network.egress[0].cidr: "2001:db8::1/32" is not a valid CIDR: has host bits set; did you mean 2001:db8::/32 or 2001:db8::1/128?
            network: {egress: [{cidr: 10.0.0.256}]}  | spec.network.egress[0].cidr: "10.0.0.256" is not a valid CIDR: IPv4 segment too large
            network: {egress: [{cidr: 167772160}]}   | spec.network.egress[0].cidr: must be a string, got the number 167772160
            network: {listen: [{port: 0}]}           | spec.network.listen[0].port: must be a port between 1 and 65535, got 0
            network: {listen: [{port: 65536}]}       | spec.network.listen[0].port: must be a port between 1 and 65535, got 65536
            network: {listen: [{port: 99999999999999999999}]} | spec.network.listen[0].port: is far too large: "99999999999999999999"
            network: {listen: [{protocol: tcp}]}     | spec.network.listen[0].port: is required
            resources: {cpuCores: 0}                 | spec.resources.cpuCores: must be more than 0 and at most 1024 cores, got 0
            resources: {cpuCores: 2000}              | spec.resources.cpuCores: must be more than 0 and at most 1024 cores, got 2000
            resources: {cpuCores: -0.5}              | spec.resources.cpuCores: must be more than 0 and at most 1024 cores, got -0.5
            resources: {cpuCores: .nan}              | <document>: not valid YAML: line 6, column 29: Malformed numeric value '.nan'
            resources: {memory: -5Mi}                | spec.resources.memory: "-5Mi" is not a Kubernetes quantity (e.g. 256Mi, 1Gi, 500M)
            resources: {memory: "1e100"}             | spec.resources.memory: "1e100" is not a Kubernetes quantity (e.g. 256Mi, 1Gi, 500M)
            resources: {memory: 1e100}               | spec.resources.memory: must be a Kubernetes quantity such as 256Mi, got the number 1.0E100
            resources: {memory: "1e19"}              | spec.resources.memory: "1e19" is larger than 8Ei
            resources: {memory: 100m}                | spec.resources.memory: "100m" is not a whole number of bytes
            resources: {memory: "0"}                 | spec.resources.memory: "0" must be at least 1 byte
            resources: {memory: 9Ei}                 | spec.resources.memory: "9Ei" is larger than 8Ei
            resources: {memory: 1.5}                 | spec.resources.memory: must be a Kubernetes quantity such as 256Mi, got the number 1.5
            resources: {processes: 0}                | spec.resources.processes: must be between 1 and 4194304, got 0
            resources: {threads: 4194305}            | spec.resources.threads: must be between 1 and 4194304, got 4194305
            resources: {openFiles: -1}               | spec.resources.openFiles: must be between 1 and 1073741816, got -1
            resources: {forksPerMinute: 1000001}     | spec.resources.forksPerMinute: must be between 1 and 1000000, got 1000001
            resources: {sustain: 2h}                 | spec.resources.sustain: "2h" must be between 0s and 1h
            resources: {sustain: "-5s"}              | spec.resources.sustain: "-5s" is not a valid duration (e.g. 30s, 10m, 1h30m): expected a number at index 0
            threats: {disable: reverse-shell}        | spec.threats.disable: must be a list, got the string "reverse-shell"
            threats: {disable: [~]}                  | spec.threats.disable[0]: must be a string, got null
            threats: {enable: [reverse-shell]}       | spec.threats.enable: unknown field; known fields: disable, exceptions
            actions: {process: Kill}                 | spec.actions.process: "Kill" is not one of report, kill, quarantine (write it in lower case)
            actions: {violation: kill}               | spec.actions.violation: unknown field; known fields: process, egress, listen, resource, threat
            actions: {egress: true}                  | spec.actions.egress: must be a string, got the boolean true
            selector: {matchLabels: {app: true}}     | spec.selector.matchLabels.app: must be a string (quote it), got the boolean true
            selector: {matchLabels: {"-bad": x}}     | spec.selector.matchLabels.-bad: "-bad" is not a valid label key
            selector: {matchLabels: {app: "a b"}}    | spec.selector.matchLabels.app: "a b" is not a valid label value
            selector: {matchExpressions: [{key: app, operator: Equals, values: [a]}]} | spec.selector.matchExpressions[0].operator: "Equals" is not one of In, NotIn, Exists, DoesNotExist
            selector: {matchExpressions: [{key: app, operator: In}]} | spec.selector.matchExpressions[0].values: must not be empty for operator In
            selector: {matchExpressions: [{key: app, operator: Exists, values: [a]}]} | spec.selector.matchExpressions[0].values: must be empty for operator Exists
            selector: {matchExpressions: [{operator: Exists}]} | spec.selector.matchExpressions[0].key: is required
            selector: {matchLabel: {app: x}}         | spec.selector.matchLabel: unknown field (did you mean "matchLabels"?); known fields: matchLabels, matchExpressions
            images: {deny: [latest]}                 | spec.images.deny: unknown field; known fields: allow, requireDigest, denyTags
            images: [latest]                         | spec.images: must be a mapping with the fields allow, requireDigest, denyTags; got a list
            images: {allow: {action: deny}}          | spec.images.allow.repositories: is required: the repositories images may come from
            images: {allow: {repositories: []}}      | spec.images.allow.repositories: must not be empty: list the repositories images may come from
            images: {allow: {repositories: nginx}}   | spec.images.allow.repositories: must be a list, got the string "nginx"
            images: {allow: {repositories: [nginx]}} | spec.images.allow.repositories[0]: "nginx" starts with no registry: patterns match the full repository name, registry included (docker.io/library/nginx for the image nginx), so start with a registry host, or with * or **
            images: {allow: {repositories: [library/nginx]}} | spec.images.allow.repositories[0]: "library/nginx" starts with no registry: patterns match the full repository name, registry included (docker.io/library/nginx for the image nginx), so start with a registry host, or with * or **
            images: {allow: {repositories: ["docker.io/library/nginx:1.27"]}} | spec.images.allow.repositories[0]: "docker.io/library/nginx:1.27" names a tag; a pattern matches repositories, so leave out :tag (use denyTags for tags)
            images: {allow: {repositories: ["docker.io/x@sha256:00"]}} | spec.images.allow.repositories[0]: "docker.io/x@sha256:00" names a digest; a pattern matches repositories, so leave out @sha256:... (use requireDigest to demand digests)
            images: {allow: {repositories: [Registry.Example.com/app]}} | spec.images.allow.repositories[0]: "Registry.Example.com/app" is not a repository pattern: a lower-case registry host[:port], then path segments of a-z 0-9 . _ - separated by single slashes, with *, ** and ?
            images: {allow: {repositories: [registry.example.com//app]}} | spec.images.allow.repositories[0]: "registry.example.com//app" is not a repository pattern: a lower-case registry host[:port], then path segments of a-z 0-9 . _ - separated by single slashes, with *, ** and ?
            images: {allow: {repositories: ["registry.example.com/***"]}} | spec.images.allow.repositories[0]: "registry.example.com/***" has *** ; use * (within one segment) or ** (across segments)
            images: {allow: {repositories: ["registry.example.com/[ab]"]}} | spec.images.allow.repositories[0]: "registry.example.com/[ab]" is not a repository pattern: a lower-case registry host[:port], then path segments of a-z 0-9 . _ - separated by single slashes, with *, ** and ?
            images: {allow: {repositories: [~]}}     | spec.images.allow.repositories[0]: must be a string, got null
            images: {allow: {repositories: [r.io/a], action: block}} | spec.images.allow.action: "block" is not one of deny, warn
            images: {allow: {repositories: [r.io/a], action: Deny}} | spec.images.allow.action: "Deny" is not one of deny, warn (write it in lower case)
            images: {requireDigest: true}            | spec.images.requireDigest: must be a mapping with the fields action; got the boolean true
            images: {requireDigest: {action: kill}}  | spec.images.requireDigest.action: "kill" is not one of deny, warn
            images: {denyTags: {action: deny}}       | spec.images.denyTags.tags: is required: the tags to deny, e.g. [latest]
            images: {denyTags: {tags: [latest], actoin: deny}} | spec.images.denyTags.actoin: unknown field (did you mean "action"?); known fields: tags, action
            images: {denyTags: {tags: ["-rc"]}}      | spec.images.denyTags.tags[0]: "-rc" is not a tag: letters, digits, _ . - (not first) and the wildcards * and ?, at most 128 characters
            images: {denyTags: {tags: ["a/b"]}}      | spec.images.denyTags.tags[0]: "a/b" is not a tag: letters, digits, _ . - (not first) and the wildcards * and ?, at most 128 characters
            podSecurity: Enforce                     | spec.podSecurity: "Enforce" is not one of warn, enforce (write it in lower case)
            podSecurity: true                        | spec.podSecurity: must be a string, got the boolean true
            podSecurity: deny                        | spec.podSecurity: "deny" is not one of warn, enforce
            """)
    void refusesWithPathAndReason(String spec, String expected) {
        assertEquals(expected, problems(withSpec(spec)));
    }

    @Test
    void refusesADocumentWithoutTheResourceHeader() {
        assertEquals(String.join("\n",
                "apiVersion: is required and must be picket.dev/v1alpha1",
                "kind: is required and must be WorkloadProfile",
                "metadata: is required (at least metadata.name)"), problems("spec: {mode: monitor}\n"));
        assertEquals("metadata.name: is required", problems("""
                apiVersion: picket.dev/v1alpha1
                kind: WorkloadProfile
                metadata: {namespace: shop}
                """));
        assertEquals("metadata.nmae: unknown field (did you mean \"name\"?); known fields: name, namespace, labels, "
                + "annotations, uid, resourceVersion, generation, creationTimestamp, managedFields, ownerReferences, "
                + "finalizers, generateName, deletionTimestamp, deletionGracePeriodSeconds, selfLink\n"
                + "metadata.name: is required", problems("""
                apiVersion: picket.dev/v1alpha1
                kind: WorkloadProfile
                metadata: {nmae: checkout}
                """));
        assertEquals("spec: must be a mapping with the fields selector, mode, learn, processes, network, resources, "
                + "threats, actions, images, podSecurity; got a list", problems(Docs.HEADER + "spec: [mode, enforce]\n"));
        assertEquals("status: must be a mapping, got the string \"ok\"", problems(Docs.HEADER + "status: ok\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            processes: {allow: [%s]}                       | {}  | spec.processes.allow: has 100000 entries, at most 1024 are allowed
            network: {egress: [%s]}                        | {}  | spec.network.egress: has 100000 entries, at most 1024 are allowed
            network: {listen: [%s]}                        | {}  | spec.network.listen: has 100000 entries, at most 256 are allowed
            network: {egress: [{cidr: "::/0", ports: [%s]}]} | 80 | spec.network.egress[0].ports: has 100000 entries, at most 256 are allowed
            threats: {disable: [%s]}                       | foo | spec.threats.disable: has 100000 entries, at most 64 are allowed
            selector: {matchExpressions: [%s]}             | {}  | spec.selector.matchExpressions: has 100000 entries, at most 32 are allowed
            images: {allow: {repositories: [%s]}}          | r.io/a | spec.images.allow.repositories: has 100000 entries, at most 256 are allowed
            images: {denyTags: {tags: [%s]}}               | latest | spec.images.denyTags.tags: has 100000 entries, at most 64 are allowed
            """)
    void refusesHundredThousandEntryListsByTheirLengthQuickly(String template, String entry, String expected) {
        String entries = String.join(",", java.util.Collections.nCopies(100_000, entry));
        String yaml = withSpec(template.formatted(entries));
        long start = System.nanoTime();

        String problems = problems(yaml);

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(expected, problems);
        assertTrue(millis < 3_000, "took " + millis + " ms");
    }

    @Test
    void refusesADocumentOverOneMebibyteBeforeParsingIt() {
        StringBuilder allow = new StringBuilder("processes:\n  allow:\n");
        for (int i = 0; i < 100_000; i++) {
            allow.append("  - {exe: /bin/x").append(i).append("}\n");
        }
        byte[] yaml = withSpec(allow.toString()).getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertTrue(yaml.length > ProfileLimits.MAX_DOCUMENT_BYTES);
        assertEquals("<document>: the profile has more than 1048576 bytes", ProfileReader.read(yaml).describe());
    }

    @Test
    void capsTheNumberOfProblemsReported() {
        StringBuilder listen = new StringBuilder("network:\n  listen:\n");
        for (int i = 0; i < 200; i++) {
            listen.append("  - {port: 0}\n");
        }
        List<ValidationProblem> problems = ProfileReader.read(withSpec(listen.toString())).problems();

        assertEquals(ProfileLimits.MAX_PROBLEMS + 1, problems.size());
        assertEquals(new ValidationProblem("spec.network.listen[49].port", "must be a port between 1 and 65535, got 0"),
                problems.get(49));
        assertEquals(new ValidationProblem("<document>", "150 more problems not shown"), problems.getLast());
    }

    @Test
    void validatesASpecOnItsOwnWithTheSamePaths() {
        WorkloadProfileSpec spec = new WorkloadProfileSpec();
        spec.setNetwork(new NetworkSpec(List.of(new EgressRuleSpec("10.0.0.0/33", null, null)), null));

        Validated<WorkloadProfileSpec> v = ProfileReader.validateSpec(spec);

        assertFalse(v.isValid());
        assertEquals("spec.network.egress[0].cidr: \"10.0.0.0/33\" is not a valid CIDR: the network prefix "
                + "bit-length is negative or exceeds the address bit-length", v.describe());
        assertTrue(ProfileReader.validateSpec(null).isValid());
    }
}
