package dev.picket.profile;

import dev.picket.profile.learn.LearnedMerge;
import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static dev.picket.profile.Docs.withSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a compiled {@code spec.threats.exceptions} entry covers: every narrowing field must match, with the globs of
 * {@code processes.allow} and the CIDRs of {@code network.egress}; and how exceptions render and read back.
 */
class ThreatExceptionMatchingTest {

    private static final String PYTHON = "/usr/bin/python3.12";
    private static final String JAVA = "/usr/lib/jvm/temurin-21/bin/java";

    private static Profile profile(String exceptions) {
        return Docs.compile(withSpec("threats:\n  exceptions:\n" + exceptions.stripIndent().lines()
                .map(l -> "    " + l + "\n").reduce("", String::concat)));
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    @Test
    void exeIsAGlobOnTheProcessAsInProcessesAllow() {
        Profile p = profile("""
                - {rule: preload-injection, exe: "/usr/lib/jvm/*/bin/java", reason: jemalloc}
                - {rule: preload-injection, exe: "/opt/app/**", reason: the app's own tools}
                - {rule: exec-from-writable-dir, exe: /run/tools/probe, reason: installed by the init container}
                """);
        assertTrue(p.threatExcepted(ThreatRule.PRELOAD_INJECTION, JAVA, null, null, 0));
        assertFalse(p.threatExcepted(ThreatRule.PRELOAD_INJECTION, "/usr/lib/jvm/a/b/bin/java", null, null, 0),
                "* stays within one segment");
        assertTrue(p.threatExcepted(ThreatRule.PRELOAD_INJECTION, "/opt/app/bin/worker", null, null, 0));
        assertTrue(p.threatExcepted(ThreatRule.PRELOAD_INJECTION, "//opt/app//bin/worker", null, null, 0),
                "redundant slashes are ignored, as for processes.allow");
        assertFalse(p.threatExcepted(ThreatRule.PRELOAD_INJECTION, PYTHON, null, null, 0));
        assertFalse(p.threatExcepted(ThreatRule.PRELOAD_INJECTION, null, null, null, 0), "no process: no exe to match");
        assertTrue(p.threatExcepted(ThreatRule.EXEC_FROM_WRITABLE_DIR, "/run/tools/probe", null, null, 0));
        assertFalse(p.threatExcepted(ThreatRule.EXEC_FROM_WRITABLE_DIR, "/run/tools/probe2", null, null, 0));
        assertFalse(p.threatExcepted(ThreatRule.EXEC_FROM_WRITABLE_DIR, "/tmp/probe", null, null, 0));
    }

    @Test
    void anExceptionCoversOnlyItsOwnRule() {
        Profile p = profile("- {rule: preload-injection, exe: /**, reason: every process preloads jemalloc}");
        assertTrue(p.threatExcepted(ThreatRule.PRELOAD_INJECTION, PYTHON, null, null, 0));
        for (ThreatRule other : ThreatRule.values()) {
            if (other != ThreatRule.PRELOAD_INJECTION) {
                assertFalse(p.threatExcepted(other, PYTHON, null, null, 0), other.id());
            }
        }
        assertFalse(p.threatExcepted(null, PYTHON, null, null, 0));
        assertTrue(p.threatEnabled(ThreatRule.PRELOAD_INJECTION), "an exception does not turn the rule off");
    }

    @Test
    void parentNeverMatchesAnUnknownParent() {
        Profile p = profile("""
                - {rule: ptrace-attached, parent: /usr/local/bin/py-spy, reason: py-spy record -- app}
                - {rule: namespace-change, exe: "/opt/chrome/chrome*", parent: "/opt/chrome/chrome*", reason: sandbox}
                """);
        assertTrue(p.threatExcepted(ThreatRule.PTRACE_ATTACHED, PYTHON, "/usr/local/bin/py-spy", null, 0));
        assertFalse(p.threatExcepted(ThreatRule.PTRACE_ATTACHED, PYTHON, "/usr/bin/gdb", null, 0));
        assertFalse(p.threatExcepted(ThreatRule.PTRACE_ATTACHED, PYTHON, null, null, 0));
        assertTrue(p.threatExcepted(ThreatRule.NAMESPACE_CHANGE, "/opt/chrome/chrome", "/opt/chrome/chrome", null, 0));
        assertTrue(p.threatExcepted(ThreatRule.NAMESPACE_CHANGE, "/opt/chrome/chrome_crashpad", "/opt/chrome/chrome", null, 0));
        assertFalse(p.threatExcepted(ThreatRule.NAMESPACE_CHANGE, "/opt/chrome/chrome", "/bin/sh", null, 0),
                "every field must match: the exe does, the parent does not");
        assertFalse(p.threatExcepted(ThreatRule.NAMESPACE_CHANGE, "/usr/bin/unshare", "/opt/chrome/chrome", null, 0));
        assertFalse(p.threatExcepted(ThreatRule.NAMESPACE_CHANGE, "/opt/chrome/chrome", null, null, 0));
    }

    @Test
    void cidrAndPortsMatchTheRemoteOverIpv4AndIpv6() {
        Profile p = profile("""
                - {rule: cloud-metadata, cidr: 169.254.169.254, reason: IMDS credentials}
                - {rule: cloud-metadata, cidr: "fd00:ec2::/32", ports: [80], reason: IMDS over IPv6}
                - {rule: mining-pool, cidr: 10.20.0.0/16, ports: [4444, 5555], reason: Selenium hub and Flower}
                """);
        assertTrue(p.threatExcepted(ThreatRule.CLOUD_METADATA, PYTHON, null, ip("169.254.169.254"), 80));
        assertTrue(p.threatExcepted(ThreatRule.CLOUD_METADATA, null, null, ip("169.254.169.254"), 443),
                "a cidr-only entry covers a closed connection without its process");
        assertFalse(p.threatExcepted(ThreatRule.CLOUD_METADATA, PYTHON, null, ip("169.254.170.2"), 80));
        assertTrue(p.threatExcepted(ThreatRule.CLOUD_METADATA, PYTHON, null, ip("fd00:ec2::254"), 80));
        assertFalse(p.threatExcepted(ThreatRule.CLOUD_METADATA, PYTHON, null, ip("fd00:ec2::254"), 443));
        assertFalse(p.threatExcepted(ThreatRule.CLOUD_METADATA, PYTHON, null, ip("fd01::254"), 80));
        assertFalse(p.threatExcepted(ThreatRule.CLOUD_METADATA, PYTHON, null, null, 0), "no remote: nothing to match");
        assertTrue(p.threatExcepted(ThreatRule.MINING_POOL, PYTHON, null, ip("10.20.3.4"), 4444));
        assertTrue(p.threatExcepted(ThreatRule.MINING_POOL, PYTHON, null, ip("10.20.3.4"), 5555));
        assertFalse(p.threatExcepted(ThreatRule.MINING_POOL, PYTHON, null, ip("10.20.3.4"), 3333), "another pool port");
        assertFalse(p.threatExcepted(ThreatRule.MINING_POOL, PYTHON, null, ip("10.21.3.4"), 4444), "another network");
        assertFalse(p.threatExcepted(ThreatRule.MINING_POOL, PYTHON, null, null, 0),
                "the stratum-URL finding has no remote: only an exe or parent entry covers it");
    }

    @Test
    void anIpv4MappedRemoteOrBlockIsComparedAsIpv4() throws UnknownHostException {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[13] = 20;
        mapped[14] = 3;
        mapped[15] = 4;
        InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);
        Profile p = profile("""
                - {rule: mining-pool, cidr: "::ffff:10.20.0.0/112", ports: [4444], reason: Selenium}
                - {rule: kube-api-contact, cidr: 10.96.0.1, reason: the operator's informers}
                """);
        assertTrue(p.threatExcepted(ThreatRule.MINING_POOL, PYTHON, null, v6, 4444));
        assertTrue(p.threatExcepted(ThreatRule.MINING_POOL, PYTHON, null, ip("10.20.3.4"), 4444));
        assertTrue(p.threatExcepted(ThreatRule.MINING_POOL, PYTHON, null, "[::ffff:10.20.3.4]:4444/tcp"));
        assertTrue(p.threatExcepted(ThreatRule.KUBE_API_CONTACT, JAVA, null, "[::ffff:10.96.0.1]:443/tcp"));
        assertEquals("10.20.0.0/16", p.toSpec().getThreats().getExceptions().getFirst().getCidr(),
                "stored, and shown, as the IPv4 block");
    }

    @Test
    void theRemoteIsReadAsViolationsWriteIt() {
        Profile p = profile("""
                - {rule: cloud-metadata, cidr: "fd00:ec2::254", reason: IMDS over IPv6}
                - {rule: mining-pool, exe: /usr/bin/python3*, ports: [4444], reason: Selenium}
                - {rule: reverse-shell, exe: /usr/bin/python3*, reason: an inetd-style handler}
                """);
        assertTrue(p.threatExcepted(ThreatRule.CLOUD_METADATA, PYTHON, null, "[fd00:ec2:0:0:0:0:0:254]:80/tcp"));
        assertFalse(p.threatExcepted(ThreatRule.CLOUD_METADATA, PYTHON, null, "169.254.169.254:80/tcp"));
        assertTrue(p.threatExcepted(ThreatRule.MINING_POOL, PYTHON, null, "10.1.2.3:4444/tcp"));
        assertTrue(p.threatExcepted(ThreatRule.MINING_POOL, PYTHON, null, "10.1.2.3:4444/udp"));
        assertFalse(p.threatExcepted(ThreatRule.MINING_POOL, PYTHON, null, "10.1.2.3:3333/tcp"));
        assertFalse(p.threatExcepted(ThreatRule.MINING_POOL, "/usr/bin/perl", null, "10.1.2.3:4444/tcp"));
        assertTrue(p.threatExcepted(ThreatRule.REVERSE_SHELL, PYTHON, null, "10.1.2.3:9000/tcp"), "no remote field");
        assertTrue(p.threatExcepted(ThreatRule.REVERSE_SHELL, PYTHON, null, (String) null));
        for (String unreadable : new String[] {null, "", "garbage", "10.1.2.3", "10.1.2.3:/tcp", "10.1.2.3:99999/tcp",
                "fd00:ec2::254:80/tcp", "[fd00:ec2::254/tcp", "localhost:4444/tcp", "pool.example.com:4444/tcp"}) {
            assertFalse(p.threatExcepted(ThreatRule.MINING_POOL, PYTHON, null, unreadable), unreadable);
            assertNull(ThreatExceptions.Remote.parse(unreadable), unreadable);
        }
    }

    @Test
    void equalityIgnoresOrderSoReorderingIsNoNewGeneration() {
        Profile a = profile("""
                - {rule: mining-pool, ports: [4444], reason: Selenium}
                - {rule: cloud-metadata, cidr: 169.254.169.254, reason: IMDS}
                """);
        Profile b = profile("""
                - {rule: cloud-metadata, cidr: 169.254.169.254, reason: IMDS}
                - {rule: mining-pool, ports: [4444], reason: Selenium}
                - {rule: mining-pool, ports: [4444], reason: Selenium}
                """);
        assertEquals(a, b);
        assertNotEquals(a, profile("- {rule: mining-pool, ports: [4444], reason: Selenium}"));
        assertNotEquals(a.threatExceptions(), profile("""
                - {rule: mining-pool, ports: [4444], reason: Selenium Grid}
                - {rule: cloud-metadata, cidr: 169.254.169.254, reason: IMDS}
                """).threatExceptions(), "the reason is part of the exception");
        assertEquals(ThreatExceptions.NONE, Docs.compile(withSpec("mode: monitor")).threatExceptions());
    }

    @Test
    void describesEachExceptionOnOneLineForTheLog() {
        Profile p = profile("""
                - {rule: mining-pool, exe: /usr/bin/python3*, cidr: 10.20.0.0/16, ports: [5555, 4444], reason: Selenium and Flower}
                """);
        assertEquals("mining-pool where exe /usr/bin/python3* and cidr 10.20.0.0/16 and ports [4444, 5555]: Selenium and Flower",
                p.threatExceptions().entries().getFirst().describe());
    }

    // ---- render, read, compile ----

    private static final String EXCEPTIONS = """
            - {rule: preload-injection, exe: /usr/local/bin/app, reason: the image preloads jemalloc}
            - {rule: mining-pool, cidr: "2001:db8::/32", ports: [4444], reason: Selenium Grid over IPv6}
            - {rule: mining-pool, cidr: 10.20.0.0/16, ports: [5555, 4444], reason: Selenium Grid and Flower}
            - {rule: mining-pool, exe: "**/flower", reason: Flower}
            - {rule: cloud-metadata, exe: /app/server, cidr: 169.254.169.254, reason: IMDS credentials}
            - {rule: cloud-metadata, exe: /app/server, reason: "any metadata address: ECS, EKS Pod Identity"}
            - {rule: namespace-change, exe: /opt/chrome/chrome, parent: /opt/chrome/chrome, reason: Chromium sandbox}
            """;

    @Test
    void rendersInOneStableOrderWithEveryReason() {
        Profile p = profile(EXCEPTIONS);
        String rendered = ProfileRenderer.render(p);
        assertTrue(rendered.contains("""
                  threats:
                    exceptions:
                      - rule: cloud-metadata
                        exe: /app/server
                        reason: "any metadata address: ECS, EKS Pod Identity"
                      - rule: cloud-metadata
                        exe: /app/server
                        cidr: 169.254.169.254/32
                        reason: IMDS credentials
                      - rule: mining-pool
                        cidr: 10.20.0.0/16
                        ports:
                          - 4444
                          - 5555
                        reason: Selenium Grid and Flower
                      - rule: mining-pool
                        cidr: 2001:db8::/32
                        ports:
                          - 4444
                        reason: Selenium Grid over IPv6
                      - rule: mining-pool
                        exe: '**/flower'
                        reason: Flower
                      - rule: namespace-change
                        exe: /opt/chrome/chrome
                        parent: /opt/chrome/chrome
                        reason: Chromium sandbox
                      - rule: preload-injection
                        exe: /usr/local/bin/app
                        reason: the image preloads jemalloc
                """), rendered);
        List<String> lines = new ArrayList<>(EXCEPTIONS.lines().toList());
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(lines, random);
            assertEquals(rendered, ProfileRenderer.render(profile(String.join("\n", lines))), "any order renders alike");
        }
    }

    @Test
    void renderParseCompileGivesTheSameProfile() {
        Profile p = profile(EXCEPTIONS);
        String rendered = ProfileRenderer.render(p);
        Profile again = ProfileCompiler.fromYaml(rendered.getBytes(), "again", 1).orElseThrow();
        assertEquals(p.threatExceptions(), again.threatExceptions());
        assertEquals(p, new Profile(p.name(), p.source(), p.generation(), again.mode(), again.learn(),
                again.processes(), again.network(), again.resources(), again.disabledThreats(), again.threatExceptions(),
                again.actions(), again.images(), again.podSecurity()));
        assertEquals(rendered, ProfileRenderer.render(again));
        Profile fromResource = ProfileCompiler.fromResource(WorkloadProfile.of(p.name(), p.toSpec()), 1).orElseThrow();
        assertEquals(p.threatExceptions(), fromResource.threatExceptions());
    }

    /** Reasons are free text: whatever YAML would read as something else must render quoted and read back equal. */
    @Test
    void anyAcceptedReasonRendersAndReadsBackUnchanged() {
        List<String> reasons = List.of("yes", "no", "null", "~", "123", "1e3", "0x1f", " leading", "trailing ", "a: b",
                "# not a comment", "- not a list", "'single'", "\"double\"", "[x]", "{y}", "é ü 😀 中文", "*alias",
                "&anchor", "!tag", "%directive", "@at", "`tick`", "back\\slash", "1:20", ".inf", "0b101", "+12", "=", "x".repeat(1024));
        for (String reason : reasons) {
            ThreatException e = new ThreatException(ThreatRule.MINING_POOL, java.util.Optional.empty(),
                    java.util.Optional.empty(), java.util.Optional.empty(), PortSet.of(List.of(4444)), reason);
            Profile p = new Profile("odd", "test", 1, Mode.MONITOR, Learn.UNTIL_CHANGED, profile("- {rule: mining-pool,"
                    + " ports: [1], reason: r}").processes(), Docs.compile(withSpec("mode: monitor")).network(),
                    Ceilings.NONE, java.util.Set.of(), new ThreatExceptions(List.of(e)),
                    Docs.compile(withSpec("mode: monitor")).actions(), ImageRules.NONE, PodSecurityMode.WARN);
            String rendered = ProfileRenderer.render(p);
            Validated<Profile> again = ProfileCompiler.fromYaml(rendered.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "again", 1);
            assertTrue(again.isValid(), () -> again.describe() + "\n" + rendered);
            assertEquals(reason, again.value().threatExceptions().entries().getFirst().reason(), rendered);
            assertEquals(rendered, ProfileRenderer.render(again.value()));
        }
    }

    @Test
    void theEffectiveSpecShowsTheExceptionsAndLeavesThemOutWhenThereAreNone() {
        Profile p = profile("- {rule: mining-pool, ports: [4444], reason: Selenium}");
        assertEquals(List.of(new ThreatExceptionSpec("mining-pool", null, null, null, List.of(4444), "Selenium")),
                ProfileRenderer.canonical(p.toSpec()).getThreats().getExceptions());
        assertNull(ProfileRenderer.canonical(ProfileCompiler.embeddedDefault().toSpec()).getThreats());
        assertFalse(ProfileRenderer.render(ProfileCompiler.embeddedDefault()).contains("exceptions"));
    }

    @Test
    void learningEndsWithTheProfilesExceptionsKept() {
        Profile p = profile(EXCEPTIONS);
        WorkloadProfileSpec learned = new WorkloadProfileSpec();
        learned.setProcesses(new ProcessesSpec(List.of(new ProcessRuleSpec("/app/server", null)), false));
        learned.setNetwork(new NetworkSpec(List.of(new EgressRuleSpec("169.254.169.254", List.of(80), Protocol.TCP)), null));
        WorkloadProfileSpec merged = LearnedMerge.merge(p.toSpec(), learned);
        assertEquals(ProfileRenderer.canonical(p.toSpec()).getThreats(), merged.getThreats());
        WorkloadProfile doc = WorkloadProfile.of("merged", merged);
        Profile compiled = ProfileCompiler.fromResource(doc, 2).orElseThrow();
        assertEquals(p.threatExceptions(), compiled.threatExceptions());
        assertTrue(compiled.egressAllowed(ip("169.254.169.254"), 80, Protocol.TCP), "and what was learned is allowed");
    }
}
