package dev.picket.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.picket.profile.Docs.problems;
import static dev.picket.profile.Docs.withSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code spec.threats.exceptions}: what is accepted, and every refusal with its path and message. */
class ThreatExceptionValidationTest {

    private static final String KNOWN = Stream.of(ThreatRule.values()).map(ThreatRule::id).collect(Collectors.joining(", "));

    @Test
    void acceptsOneEntryPerKindOfFalsePositive() {
        Validated<WorkloadProfile> v = ProfileReader.read(withSpec("""
                threats:
                  exceptions:
                    - rule: mining-pool
                      cidr: 10.20.0.0/16
                      ports: [4444]
                      reason: the tests drive the Selenium Grid hub
                    - rule: mining-pool
                      exe: /usr/local/bin/python3.*
                      ports: [5555]
                      reason: Celery Flower
                    - rule: cloud-metadata
                      exe: /app/bin/server
                      cidr: 169.254.169.254
                      reason: the AWS SDK takes its credentials from IMDS
                    - rule: cloud-metadata
                      cidr: fd00:ec2::254
                      ports: [80]
                      reason: IMDS over IPv6
                    - rule: preload-injection
                      exe: /usr/local/bin/app
                      reason: the image preloads jemalloc
                    - rule: namespace-change
                      exe: /opt/chrome/chrome
                      parent: /opt/chrome/chrome
                      reason: headless Chromium sandboxes its renderers
                    - rule: ptrace-attached
                      parent: /usr/local/bin/py-spy
                      reason: py-spy record -- app
                    - rule: kube-api-contact
                      exe: /manager
                      ports: [443]
                      reason: the operator watches its custom resources
                    - rule: exec-from-writable-dir
                      exe: /run/tools/healthcheck
                      reason: the init container installs the probe in /run
                """));
        assertTrue(v.isValid(), v.describe());
        ThreatsSpec threats = v.value().getSpec().getThreats();
        assertEquals(9, threats.getExceptions().size());
        assertEquals(new ThreatExceptionSpec("mining-pool", null, null, "10.20.0.0/16", List.of(4444),
                "the tests drive the Selenium Grid hub"), threats.getExceptions().getFirst());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            threats: {exceptions: {rule: mining-pool}}   | spec.threats.exceptions: must be a list, got a mapping
            threats: {exceptions: [mining-pool]}        | spec.threats.exceptions[0]: must be a mapping with the fields rule, exe, parent, cidr, ports, reason; got the string "mining-pool"
            threats: {exceptions: [~]}                  | spec.threats.exceptions[0]: must be a mapping, got null
            threats: {exceptions: [{rule: mining-pool, reason: Selenium}]} | spec.threats.exceptions[0]: an exception needs at least one of exe, parent, cidr, ports to narrow it; to turn mining-pool off everywhere, list it in spec.threats.disable
            threats: {exceptions: [{rule: preload-injection, reason: jemalloc}]} | spec.threats.exceptions[0]: an exception needs at least one of exe, parent to narrow it; to turn preload-injection off everywhere, list it in spec.threats.disable
            threats: {exceptions: [{rule: fileless-exec, cidr: 10.0.0.0/8, reason: x}]} | spec.threats.exceptions[0].cidr: fileless-exec findings have no remote address to match; an exception of fileless-exec can narrow by exe, parent
            threats: {exceptions: [{rule: preload-injection, exe: /app, ports: [80], reason: x}]} | spec.threats.exceptions[0].ports: preload-injection findings have no remote address to match; an exception of preload-injection can narrow by exe, parent
            threats: {exceptions: [{rule: fork-burst, exe: /bin/make, reason: builds}]} | spec.threats.exceptions[0].rule: fork-burst cannot be excepted narrowly: its findings name no process and no remote address. Raise spec.resources.forksPerMinute, or turn it off in spec.threats.disable
            threats: {exceptions: [{rule: minig-pool, ports: [4444], reason: x}]} | spec.threats.exceptions[0].rule: unknown threat rule "minig-pool" (did you mean "mining-pool"?); known rules: exec-from-writable-dir, fileless-exec, reverse-shell, mining-pool, cloud-metadata, kube-api-contact, packet-socket, namespace-change, ptrace-attached, preload-injection, privilege-change, runtime-socket, fork-burst
            threats: {exceptions: [{rule: 7, ports: [4444], reason: x}]} | spec.threats.exceptions[0].rule: must be a string, got the number 7
            threats: {exceptions: [{rule: mining-pool, ports: [4444]}]} | spec.threats.exceptions[0].reason: is required: say why this behaviour is normal for the workload (shown in GET /v1/profile and the log)
            threats: {exceptions: [{rule: mining-pool, ports: [4444], reason: "  "}]} | spec.threats.exceptions[0].reason: must not be blank: say why this behaviour is normal for the workload
            threats: {exceptions: [{rule: mining-pool, ports: [4444], reason: "Selenium\\ninjected log line"}]} | spec.threats.exceptions[0].reason: must be one line without control or formatting characters, found U+000A at index 8
            threats: {exceptions: [{rule: mining-pool, ports: [4444], reason: "Selenium \\u202e"}]} | spec.threats.exceptions[0].reason: must be one line without control or formatting characters, found U+202E at index 9
            threats: {exceptions: [{rule: mining-pool, ports: [4444], reason: 5}]} | spec.threats.exceptions[0].reason: must be a string, got the number 5
            threats: {exceptions: [{rule: mining-pool, ports: [], reason: x}]} | spec.threats.exceptions[0].ports: must not be empty: list the remote ports, or leave ports out
            threats: {exceptions: [{rule: mining-pool, ports: [70000], reason: x}]} | spec.threats.exceptions[0].ports[0]: must be a port between 1 and 65535, got 70000
            threats: {exceptions: [{rule: mining-pool, ports: 4444, reason: x}]} | spec.threats.exceptions[0].ports: must be a list, got the number 4444
            threats: {exceptions: [{rule: cloud-metadata, cidr: 169.254.169.254/16, reason: x}]} | spec.threats.exceptions[0].cidr: "169.254.169.254/16" is not a valid CIDR: has host bits set; did you mean 169.254.0.0/16 or 169.254.169.254/32?
            threats: {exceptions: [{rule: cloud-metadata, cidr: "fe80::1%eth0", reason: x}]} | spec.threats.exceptions[0].cidr: "fe80::1%eth0" is not a valid CIDR: has an unexpected character "%"
            threats: {exceptions: [{rule: cloud-metadata, exe: java, reason: x}]} | spec.threats.exceptions[0].exe: "java" is not an absolute path: executables are matched by their full path, so start with / (or with ** to match in any directory)
            threats: {exceptions: [{rule: cloud-metadata, parent: "/bin/[a", reason: x}]} | spec.threats.exceptions[0].parent: "/bin/[a" is not a valid glob: Missing '] at index 6
            """)
    void refusesWithPathAndReason(String spec, String expected) {
        assertEquals(expected, problems(withSpec(spec)));
    }

    @Test
    void aMissingRuleIsRequiredWithTheKnownIds() {
        assertEquals("spec.threats.exceptions[0].rule: is required: the id of the threat rule to except, one of " + KNOWN,
                problems(withSpec("threats: {exceptions: [{exe: /bin/sh, reason: x}]}")));
    }

    @Test
    void anEntryWithNeitherRuleNorNarrowingSaysBoth() {
        assertEquals(String.join("\n",
                "spec.threats.exceptions[0].rule: is required: the id of the threat rule to except, one of " + KNOWN,
                "spec.threats.exceptions[0]: an exception needs at least one of exe, parent, cidr, ports to narrow it;"
                        + " to turn a rule off everywhere, list it in spec.threats.disable"),
                problems(withSpec("threats: {exceptions: [{reason: x}]}")));
    }

    @Test
    void aMisspeltFieldIsUnknownAndLeavesTheEntryUnnarrowed() {
        assertEquals(String.join("\n",
                "spec.threats.exceptions[1].port: unknown field (did you mean \"ports\"?); known fields: rule, exe, parent,"
                        + " cidr, ports, reason",
                "spec.threats.exceptions[1]: an exception needs at least one of exe, parent, cidr, ports to narrow it;"
                        + " to turn mining-pool off everywhere, list it in spec.threats.disable"),
                problems(withSpec("""
                        threats:
                          exceptions:
                            - {rule: mining-pool, ports: [5555], reason: Flower}
                            - {rule: mining-pool, port: 4444, reason: Selenium}
                        """)));
    }

    @Test
    void listsAndReasonsAreBounded() {
        String many = IntStream.range(0, ProfileLimits.MAX_THREAT_EXCEPTIONS + 1)
                .mapToObj(i -> "{rule: mining-pool, ports: [" + (i + 1) + "], reason: r}")
                .collect(Collectors.joining(", ", "threats: {exceptions: [", "]}"));
        assertEquals("spec.threats.exceptions: has 257 entries, at most 256 are allowed", problems(withSpec(many)));
        String ports = IntStream.rangeClosed(1, ProfileLimits.MAX_PORTS_PER_RULE + 1).mapToObj(Integer::toString)
                .collect(Collectors.joining(", ", "[", "]"));
        assertEquals("spec.threats.exceptions[0].ports: has 257 entries, at most 256 are allowed",
                problems(withSpec("threats: {exceptions: [{rule: mining-pool, ports: " + ports + ", reason: r}]}")));
        String reason = "x".repeat(ProfileLimits.MAX_EXCEPTION_REASON_LENGTH + 1);
        assertEquals("spec.threats.exceptions[0].reason: is 1025 characters long, at most 1024 are allowed",
                problems(withSpec("threats: {exceptions: [{rule: mining-pool, ports: [4444], reason: " + reason + "}]}")));
        assertTrue(ProfileReader.read(withSpec("threats: {exceptions: [{rule: mining-pool, ports: [4444], reason: "
                + reason.substring(1) + "}]}")).isValid());
    }

    @Test
    void anExceptionOfADisabledRuleIsAcceptedAndChangesNothing() {
        Profile p = Docs.compile(withSpec("""
                threats:
                  disable: [mining-pool]
                  exceptions:
                    - {rule: mining-pool, ports: [4444], reason: Selenium}
                """));
        assertTrue(!p.threatEnabled(ThreatRule.MINING_POOL));
        assertEquals(1, p.threatExceptions().entries().size());
    }
}
