package dev.picket.judge;

import dev.picket.profile.Profile;
import dev.picket.profile.ThreatRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Threats in where the workload connects: the cloud metadata service, the Kubernetes API server and a
 * mining-pool port, all served inside a network namespace the test creates (169.254.169.254, fd00:ec2::254,
 * 10.96.0.1 and 10.1.2.3 on its loopback). The profile allows any egress: these rules fire regardless.
 */
class ConnectionThreatsLocalTest {

    private static NetLab lab;
    private static String python;
    /** namespace-change is about the test's namespace, not the workload: ProcessStateThreatsLocalTest covers it. */
    private static final Profile PROFILE = Profiles.permissive("namespace-change");

    @BeforeAll
    static void lab() {
        lab = NetLab.start(80, 443, 3333);
        python = Tools.python();
    }

    @AfterAll
    static void close() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void cloudMetadataOverIpv4AndIpv6IsOneViolationPerProcessAndAddress() {
        try (Spawner root = lab.spawner(); Watch w = Watch.tree(root.pid(), PROFILE)) {
            long client = lab.client(root, "imds", "tcp:169.254.169.254:80", "tcp:169.254.169.254:80",
                    "tcp:[fd00:ec2::254]:80");
            w.until(Duration.ofSeconds(5), "two violations", x -> x.findings().size() == 2);
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.findings()).hasSize(2).allSatisfy(f -> Expect.threat(f, ThreatRule.CLOUD_METADATA, client));
            assertThat(w.findings()).extracting(Finding::remote)
                    .containsExactlyInAnyOrder("169.254.169.254:80/tcp", "[fd00:ec2:0:0:0:0:0:254]:80/tcp");
            Finding v4 = w.findings().stream().filter(f -> f.remote().startsWith("169.")).findFirst().orElseThrow();
            assertThat(v4.detail()).isEqualTo(python + " (pid " + client
                    + ") contacts the cloud metadata service at 169.254.169.254:80/tcp");
            assertThat(v4.subject().argv().args()).contains("imds");

            long again = lab.client(root, "imds-again", "tcp:169.254.169.254:80");
            w.until(Duration.ofSeconds(5), "a new process, a new violation", x -> x.findings().size() == 3);
            Expect.threat(w.findings().get(2), ThreatRule.CLOUD_METADATA, again);
        }
    }

    /**
     * On Azure 168.63.129.16 is both the WireServer and the platform resolver a pod with {@code dnsPolicy:
     * Default} uses: a lookup there is DNS, not metadata; its other ports are still the WireServer.
     */
    @Test
    void dnsToAResolverOnAMetadataAddressIsNotCloudMetadata() throws Exception {
        JudgeContext context = new JudgeContext(List.of(InetAddress.getByName(NetLab.AZURE_WIRESERVER)), Optional.empty(),
                0, 32768, 60999);
        try (Spawner root = lab.spawner(); Watch w = Watch.tree(root.pid(), PROFILE, context)) {
            long client = lab.client(root, "azure", "dns:168.63.129.16:53", "tcpdns:168.63.129.16:53", "tcp:168.63.129.16:80");
            Finding f = w.await(ThreatRule.CLOUD_METADATA.id());
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.last().outbound()).as("the lookups are seen").hasSize(3);
            assertThat(w.findings()).containsExactly(f);
            Expect.threat(f, ThreatRule.CLOUD_METADATA, client);
            assertThat(f.remote()).isEqualTo("168.63.129.16:80/tcp");
        }
    }

    @Test
    void theKubernetesApiServerOnItsPortIsKubeApiContact() throws Exception {
        JudgeContext context = new JudgeContext(List.of(), Optional.of(InetAddress.getByName(NetLab.KUBE_API)), 443,
                32768, 60999);
        try (Spawner root = lab.spawner(); Watch w = Watch.tree(root.pid(), PROFILE, context)) {
            long client = lab.client(root, "kube", "tcp:10.96.0.1:443", "tcp:10.96.0.1:80");
            Finding f = w.await(ThreatRule.KUBE_API_CONTACT.id());
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.findings()).as("port 80 of the same address is not the API").containsExactly(f);
            Expect.threat(f, ThreatRule.KUBE_API_CONTACT, client);
            assertThat(f.remote()).isEqualTo("10.96.0.1:443/tcp");
            assertThat(f.detail()).isEqualTo(python + " (pid " + client
                    + ") talks to the Kubernetes API server at 10.96.0.1:443/tcp");
        }
    }

    @Test
    void aMiningPoolPortIsAThreatOffLoopbackOnly() {
        try (Spawner root = lab.spawner(); Watch w = Watch.tree(root.pid(), PROFILE)) {
            long client = lab.client(root, "pool", "tcp:10.1.2.3:3333", "tcp:127.0.0.1:3333");
            Finding f = w.await(ThreatRule.MINING_POOL.id());
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.last().outbound()).hasSize(2);
            assertThat(w.findings()).containsExactly(f);
            Expect.threat(f, ThreatRule.MINING_POOL, client);
            assertThat(f.remote()).isEqualTo("10.1.2.3:3333/tcp");
            assertThat(f.detail()).isEqualTo(python + " (pid " + client
                    + ") connects to 10.1.2.3:3333/tcp, a port mining pools use");
        }
    }

    @Test
    void aThreatIsRaisedEvenWhenEgressViolatesToo() {
        Profile strict = Profiles.spec("""
                processes:
                  allow:
                    - exe: /**
                  allowRoot: true
                threats:
                  disable: [namespace-change]
                """);
        try (Spawner root = lab.spawner(); Watch w = Watch.tree(root.pid(), strict)) {
            lab.client(root, "both", "tcp:169.254.169.254:80");
            w.until(Duration.ofSeconds(5), "egress and threat", x -> x.findings().size() == 2);
            w.scanFor(Duration.ofMillis(500));
            assertThat(w.findings()).extracting(Finding::rule)
                    .containsExactlyInAnyOrder(NetworkAllowlistRule.EGRESS, ThreatRule.CLOUD_METADATA.id());
            assertThat(w.lastVerdict().threatRemotes()).as("never learned as normal").contains("169.254.169.254:80/tcp");
        }
    }
}
