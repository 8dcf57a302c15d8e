package dev.picket.profile;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a compiled profile answers the judge: processes, egress, listen, actions, threats, ceilings. */
class ProfileMatchingTest {

    private static final Profile EXAMPLE = Docs.compile(Docs.resource("issue-example.yaml"));

    private static final Profile NETWORK = Docs.compile(Docs.withSpec("""
            network:
              egress:
                - cidr: 10.0.0.0/8
                  ports: [5432, 443]
                  protocol: tcp
                - cidr: 2001:db8::/32
                - cidr: 192.168.1.10
                  ports: [53]
                  protocol: udp
                - cidr: ::ffff:172.16.0.0/108
                  protocol: tcp
                - cidr: fd00::1
                  ports: [8443]
              listen:
                - port: 8000
                  protocol: tcp
                - port: 5353
                  protocol: udp
                - port: 9000
            """));

    @ParameterizedTest(name = "{0} from {1} = {2}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            /usr/bin/python3         | /usr/bin/containerd-shim | true
            /usr/bin/python3.11      | null                     | true
            /bin/sh                  | /usr/bin/python3         | true
            /bin/sh                  | /usr/bin/python3.12      | true
            /bin/sh                  | /bin/bash                | false
            /bin/sh                  | null                     | false
            /bin/bash                | /usr/bin/python3         | false
            /usr/bin/perl            | /usr/bin/python3         | false
            /tmp/python3             | null                     | false
            null                     | null                     | false
            """)
    void processesMatchOnExeAndOptionalParent(String exe, String parent, boolean allowed) {
        assertEquals(allowed, EXAMPLE.processAllowed(exe, parent));
    }

    @Test
    void literalEntriesAndGlobEntriesWorkTogether() {
        Profile p = Docs.compile(Docs.withSpec("""
                processes:
                  allow:
                    - exe: /usr/bin/node
                    - exe: /usr/bin/node
                    - exe: /bin/sh
                      parent: /usr/bin/node
                    - exe: /usr/lib/jvm/*/bin/java
                    - exe: /opt/a\\*b
                """));
        assertTrue(p.processAllowed("/usr/bin/node", null));
        assertTrue(p.processAllowed("/usr//bin/node", null));
        assertTrue(p.processAllowed("/bin/sh", "/usr/bin/node"));
        assertFalse(p.processAllowed("/bin/sh", "/usr/bin/python3"));
        assertTrue(p.processAllowed("/usr/lib/jvm/temurin-25/bin/java", "/bin/sh"));
        assertFalse(p.processAllowed("/usr/lib/jvm/temurin-25/jre/bin/java", "/bin/sh"));
        assertTrue(p.processAllowed("/opt/a*b", null));
        assertFalse(p.processAllowed("/opt/axb", null));
        assertEquals(5, p.processes().rules().size());
    }

    @Test
    void noAllowEntriesMeansNoExecIsAllowed() {
        Profile p = Docs.compile(Docs.withSpec("mode: enforce"));
        assertFalse(p.processAllowed("/bin/sh", null));
        assertFalse(p.rootAllowed());
        assertFalse(p.egressAllowed(ip("10.0.0.1"), 443, Protocol.TCP));
        assertFalse(p.listenAllowed(8080, Protocol.TCP));
        assertTrue(Docs.compile(Docs.withSpec("processes: {allowRoot: true}")).rootAllowed());
    }

    @ParameterizedTest(name = "{0}:{1}/{2} = {3}")
    @CsvSource(delimiter = '|', textBlock = """
            10.1.2.3               | 5432  | TCP | true
            10.1.2.3               | 443   | TCP | true
            10.1.2.3               | 5433  | TCP | false
            10.1.2.3               | 5432  | UDP | false
            10.1.2.3               | 5432  | ANY | false
            11.0.0.1               | 5432  | TCP | false
            ::ffff:10.1.2.3        | 5432  | TCP | true
            ::ffff:11.1.2.3        | 5432  | TCP | false
            ::10.1.2.3             | 5432  | TCP | false
            2001:db8::1            | 53    | UDP | true
            2001:db8:ffff::1       | 1     | ANY | true
            2001:db9::1            | 53    | UDP | false
            192.168.1.10           | 53    | UDP | true
            192.168.1.11           | 53    | UDP | false
            192.168.1.10           | 53    | TCP | false
            ::ffff:192.168.1.10    | 53    | UDP | true
            172.16.5.5             | 80    | TCP | true
            ::ffff:172.16.5.5      | 80    | TCP | true
            172.31.255.255         | 80    | TCP | true
            172.32.0.1             | 80    | TCP | false
            fd00::1                | 8443  | TCP | true
            fd00::2                | 8443  | TCP | false
            """)
    void egressMatchesCidrPortAndProtocol(String address, int port, Protocol protocol, boolean allowed) throws Exception {
        assertEquals(allowed, NETWORK.egressAllowed(ip(address), port, protocol));
        assertEquals(allowed, NETWORK.egressAllowed(InetAddress.getByName(address), port, protocol));
    }

    @Test
    void ipv4BlocksIncludeTheirEdgesAndNothingBeyond() {
        Profile p = Docs.compile(Docs.withSpec("""
                network:
                  egress:
                    - {cidr: 10.1.2.0/24, ports: [443]}
                    - {cidr: 128.0.0.0/1, ports: [80]}
                """));
        assertTrue(p.egressAllowed(ip("10.1.2.0"), 443, Protocol.TCP));
        assertTrue(p.egressAllowed(ip("10.1.2.255"), 443, Protocol.UDP));
        assertFalse(p.egressAllowed(ip("10.1.3.0"), 443, Protocol.TCP));
        assertFalse(p.egressAllowed(ip("10.1.1.255"), 443, Protocol.TCP));
        assertTrue(p.egressAllowed(ip("255.255.255.255"), 80, Protocol.TCP));
        assertTrue(p.egressAllowed(ip("128.0.0.0"), 80, Protocol.TCP));
        assertFalse(p.egressAllowed(ip("127.255.255.255"), 80, Protocol.TCP));
        assertTrue(p.egressAllowed(ip("10.1.2.0/25"), 443, Protocol.TCP));
        assertFalse(p.egressAllowed(ip("10.1.0.0/16"), 443, Protocol.TCP));
    }

    @Test
    void ipv4MappedRulesAreStoredAsIpv4() {
        EgressRule mapped = NETWORK.network().egress().get(3);
        assertEquals("172.16.0.0/12", mapped.block().toCanonicalString());
        assertEquals("192.168.1.10/32", NETWORK.network().egress().get(2).block().toCanonicalString());
        assertFalse(NETWORK.egressAllowed((IPAddress) null, 1, Protocol.TCP));
        assertFalse(NETWORK.egressAllowed((InetAddress) null, 1, Protocol.TCP));
    }

    @ParameterizedTest(name = "{0}/{1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            8000  | TCP | true
            8000  | UDP | false
            8000  | ANY | false
            5353  | UDP | true
            5353  | TCP | false
            9000  | TCP | true
            9000  | UDP | true
            9000  | ANY | true
            8001  | TCP | false
            0     | TCP | false
            65536 | TCP | false
            -1    | ANY | false
            """)
    void listenMatchesPortAndProtocol(int port, Protocol protocol, boolean allowed) {
        assertEquals(allowed, NETWORK.listenAllowed(port, protocol));
    }

    @Test
    void actionsDefaultToReportAndFollowTheProfile() {
        Profile defaults = Docs.compile(Docs.withSpec("actions: {egress: kill}"));
        assertEquals(ActionType.KILL, defaults.action(ViolationKind.EGRESS));
        for (ViolationKind k : EnumSet.complementOf(EnumSet.of(ViolationKind.EGRESS))) {
            assertEquals(ActionType.REPORT, defaults.action(k), k.name());
        }
        assertEquals(ActionType.KILL, EXAMPLE.action(ViolationKind.PROCESS));
        assertEquals(ActionType.QUARANTINE, EXAMPLE.action(ViolationKind.EGRESS));
        assertEquals(ActionType.REPORT, EXAMPLE.action(ViolationKind.LISTEN));
        assertEquals(ActionType.REPORT, EXAMPLE.action(ViolationKind.RESOURCE));
        assertEquals(ActionType.QUARANTINE, EXAMPLE.action(ViolationKind.THREAT));
    }

    @Test
    void threatRulesAreOnUnlessDisabled() {
        Profile p = Docs.compile(Docs.withSpec("threats: {disable: [kube-api-contact, fork-burst, kube-api-contact]}"));
        assertFalse(p.threatEnabled("kube-api-contact"));
        assertFalse(p.threatEnabled(ThreatRule.FORK_BURST));
        assertTrue(p.threatEnabled("reverse-shell"));
        assertFalse(p.threatEnabled("no-such-rule"));
        assertFalse(p.threatEnabled((String) null));
        assertEquals(EnumSet.of(ThreatRule.KUBE_API_CONTACT, ThreatRule.FORK_BURST), p.disabledThreats());
        assertEquals(ThreatRule.values().length - 2, p.enabledThreats().size());
        assertEquals(Set.of(ThreatRule.values()), EXAMPLE.enabledThreats());
    }

    @Test
    void fillsDefaultsOnlyWhereTheProfileIsSilent() {
        Profile p = Docs.compile(Docs.HEADER);
        assertEquals(Mode.MONITOR, p.mode());
        assertEquals(Learn.UNTIL_CHANGED, p.learn());
        assertEquals(Ceilings.NONE, p.resources());
        assertEquals(Duration.ofSeconds(5), p.resources().sustain());
        assertEquals("test", p.name());

        Profile learn = Docs.compile(Docs.withSpec("mode: learn\nlearn: {duration: 1h30m}"));
        assertEquals(new Learn(Optional.of(Duration.ofMinutes(90)), Mode.MONITOR), learn.learn());
        Profile zero = Docs.compile(Docs.withSpec("resources: {sustain: 0s}"));
        assertEquals(Duration.ZERO, zero.resources().sustain());
    }

    @Test
    void compilesCeilingsToBaseUnits() {
        assertEquals(new Ceilings(OptionalDouble.of(0.5), OptionalLong.of(256L << 20), Optional.of("256Mi"),
                OptionalInt.of(20), OptionalInt.of(200), OptionalInt.of(1024), OptionalInt.of(120), Duration.ofSeconds(5)),
                EXAMPLE.resources());
        assertEquals(OptionalLong.of(1_000_000_000L),
                Docs.compile(Docs.withSpec("resources: {memory: 1G}")).resources().memoryBytes());
        assertEquals(OptionalLong.of(1_610_612_736L),
                Docs.compile(Docs.withSpec("resources: {memory: 1.5Gi}")).resources().memoryBytes());
        assertEquals(OptionalLong.of(268_435_456L),
                Docs.compile(Docs.withSpec("resources: {memory: 268435456}")).resources().memoryBytes());
        assertEquals(OptionalLong.of(1_000L),
                Docs.compile(Docs.withSpec("resources: {memory: \"1e3\"}")).resources().memoryBytes());
    }

    @Test
    void carriesNameSourceGenerationAndMode() {
        Profile p = ProfileCompiler.fromYaml(Docs.resource("issue-example.yaml").getBytes(), "file /etc/p.yaml", 7)
                .orElseThrow();
        assertEquals("checkout", p.name());
        assertEquals("file /etc/p.yaml", p.source());
        assertEquals(7, p.generation());
        assertEquals(Mode.ENFORCE, p.mode());
        assertEquals(Mode.LEARN, p.withMode(Mode.LEARN).mode());
        assertEquals(p, p.withMode(Mode.ENFORCE));
        assertNotEquals(p, p.withGeneration(8));
    }

    @Test
    void theEffectiveSpecCompilesToAnEqualProfile() {
        for (Profile p : new Profile[] {EXAMPLE, NETWORK, ProfileCompiler.embeddedDefault()}) {
            Profile again = ProfileCompiler.fromResource(WorkloadProfile.of(p.name(), p.toSpec()), p.generation())
                    .orElseThrow();
            assertEquals("WorkloadProfile " + p.name(), again.source());
            assertEquals(p, new Profile(again.name(), p.source(), again.generation(), again.mode(), again.learn(),
                    again.processes(), again.network(), again.resources(), again.disabledThreats(), again.actions()));
        }
    }

    @Test
    void theEmbeddedDefaultLearnsWithEveryThreatRuleOn() {
        Profile d = ProfileCompiler.embeddedDefault();
        assertEquals(Mode.LEARN, d.mode());
        assertEquals("default", d.name());
        assertEquals(ProfileCompiler.EMBEDDED_SOURCE, d.source());
        assertEquals(1, d.generation());
        assertEquals(Set.of(ThreatRule.values()), d.enabledThreats());
        assertTrue(d.processes().rules().isEmpty());
        assertTrue(d.network().egress().isEmpty());
        assertTrue(d.network().listen().isEmpty());
        for (ViolationKind k : ViolationKind.values()) {
            assertEquals(ActionType.REPORT, d.action(k));
        }
    }

    private static IPAddress ip(String s) {
        return new IPAddressString(s).getAddress();
    }
}
