package dev.picket.judge;

import dev.picket.observe.SocketSample;
import dev.picket.profile.Profile;
import dev.picket.profile.Severity;
import dev.picket.profile.ViolationKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * EGRESS and LISTEN violations from real sockets in a network namespace the test creates, where
 * 10.1.2.3 and friends are addresses on its loopback device. The clients are the roots of the watched
 * trees and so sit in a network namespace Picket does not share: namespace-change is turned off here
 * (ProcessStateThreatsLocalTest covers it).
 */
class NetworkAllowlistLocalTest {

    private static NetLab lab;
    private static String python;

    @BeforeAll
    static void lab() {
        lab = NetLab.start(80, 443, 8443);
        python = Tools.python();
    }

    @AfterAll
    static void close() {
        if (lab != null) {
            lab.close();
        }
    }

    private static Profile profile(String network) {
        return Profiles.spec("""
                processes:
                  allow:
                    - exe: %s
                  allowRoot: true
                network:
                %s
                threats:
                  disable: [namespace-change]
                """.formatted(python, network.stripIndent().indent(2)));
    }

    @Test
    void aTcpConnectionNoEntryAllowsIsOneEgressViolationPerProcessAndRemote() {
        Profile profile = profile("egress: []");
        try (Spawner root = lab.spawner(); Watch w = Watch.tree(root.pid(), profile)) {
            long client = lab.client(root, "egress-tcp", "tcp:10.1.2.3:8443", "tcp:10.1.2.3:8443");
            Finding f = w.await(NetworkAllowlistRule.EGRESS);
            assertThat(f.kind()).isEqualTo(ViolationKind.EGRESS);
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.threat()).isNull();
            assertThat(f.remote()).isEqualTo("10.1.2.3:8443/tcp");
            assertThat(f.subject().pid()).isEqualTo((int) client);
            assertThat(f.subject().exe().path()).isEqualTo(python);
            assertThat(f.subject().argv().args()).contains("tcp:10.1.2.3:8443", "egress-tcp");
            assertThat(f.subject().uid().effective()).isZero();
            assertThat(f.detail()).isEqualTo(python + " (pid " + client
                    + ") connects to 10.1.2.3:8443/tcp (ESTABLISHED), which no egress entry allows");
            w.scanFor(Duration.ofSeconds(1));
            assertThat(outboundTo(w, "10.1.2.3", 8443)).as("two connections seen").hasSize(2);
            assertThat(w.findings()).as("two connections to one remote, many scans").containsExactly(f);

            long again = lab.client(root, "egress-tcp-2", "tcp:10.1.2.3:8443");
            w.until(Duration.ofSeconds(5), "a second violation", x -> x.findings().size() == 2);
            assertThat(w.findings().get(1).subject().pid()).as("a new process with the same behaviour")
                    .isEqualTo((int) again);
            assertThat(w.findings().get(1).remote()).isEqualTo("10.1.2.3:8443/tcp");
        }
    }

    @Test
    void aConnectedUdpSocketIsEgressWithItsProtocol() {
        try (Spawner root = lab.spawner(); Watch w = Watch.tree(root.pid(), profile("egress: []"))) {
            long client = lab.client(root, "egress-udp", "udp:10.1.2.3:5000");
            Finding f = w.await(NetworkAllowlistRule.EGRESS);
            w.scanFor(Duration.ofMillis(800));
            assertThat(w.findings()).containsExactly(f);
            assertThat(f.remote()).isEqualTo("10.1.2.3:5000/udp");
            assertThat(f.subject().pid()).isEqualTo((int) client);
            assertThat(f.detail()).isEqualTo(python + " (pid " + client
                    + ") connects to 10.1.2.3:5000/udp (CONNECTED), which no egress entry allows");
        }
    }

    @Test
    void loopbackIsNeverEgress() {
        try (Spawner root = lab.spawner(); Watch w = Watch.tree(root.pid(), profile("egress: []"))) {
            long client = lab.client(root, "loopback", "tcp:127.0.0.1:8443", "tcp:[::1]:8443", "udp:127.0.0.1:5000",
                    "udp:[::1]:5000");
            w.until(Duration.ofSeconds(5), "four loopback connections", x -> x.last().outbound().size() == 4);
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.findings()).isEmpty();
        }
    }

    @Test
    void anEntryAllowsOnlyItsBlockPortsAndProtocol() {
        Profile profile = profile("""
                egress:
                  - cidr: 10.1.2.0/24
                    ports: [8443]
                    protocol: tcp
                """);
        try (Spawner root = lab.spawner(); Watch w = Watch.tree(root.pid(), profile)) {
            long client = lab.client(root, "entry", "tcp:10.1.2.3:8443", "udp:10.1.2.3:8443", "tcp:10.1.2.3:80",
                    "tcp:10.96.0.1:443");
            w.until(Duration.ofSeconds(5), "three violations", x -> x.of(ViolationKind.EGRESS).size() == 3);
            w.scanFor(Duration.ofMillis(800));
            assertThat(w.findings()).extracting(Finding::remote).containsExactlyInAnyOrder(
                    "10.1.2.3:8443/udp", "10.1.2.3:80/tcp", "10.96.0.1:443/tcp");
        }
    }

    @Test
    void port53IsEgressUnlessTheRemoteIsAConfiguredResolver() throws Exception {
        JudgeContext context = new JudgeContext(List.of(InetAddress.getByName(NetLab.RESOLVER)), Optional.empty(), 0,
                32768, 60999);
        try (Spawner root = lab.spawner(); Watch w = Watch.tree(root.pid(), profile("egress: []"), context)) {
            long client = lab.client(root, "dns-elsewhere", "dns:10.1.2.3:53", "dns:10.1.2.53:53");
            Finding f = w.await(NetworkAllowlistRule.EGRESS);
            w.scanFor(Duration.ofMillis(800));
            assertThat(w.findings()).containsExactly(f);
            assertThat(f.remote()).isEqualTo("10.1.2.3:53/udp");
        }
    }

    @Test
    void aListenerNoEntryAllowsIsOneListenViolationPerProcessAndPort() {
        Profile profile = profile("""
                egress:
                  - cidr: 10.1.2.3/32
                listen:
                  - port: 8000
                    protocol: tcp
                """);
        String listen = String.join("\n",
                "import socket, time",
                "def tcp(port):",
                "    s = socket.socket(); s.bind(('0.0.0.0', port)); s.listen(); return s",
                "a, b = tcp(8000), tcp(9000)",
                "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('0.0.0.0', 5353))",
                "c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.bind(('0.0.0.0', 0)); c.sendto(b'x', ('10.1.2.3', 5000))",
                "time.sleep(600)");
        try (Spawner root = lab.spawner(); Watch w = Watch.tree(root.pid(), profile)) {
            long server = root.spawn(Tools.PYTHON, "-c", listen);
            w.until(Duration.ofSeconds(5), "two listen violations", x -> x.of(ViolationKind.LISTEN).size() == 2);
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.last().listeners()).as("8000, 9000, 5353 and the client's ephemeral port").hasSize(4);
            assertThat(w.findings()).hasSize(2).allSatisfy(f -> {
                assertThat(f.rule()).isEqualTo(NetworkAllowlistRule.LISTEN);
                assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
                assertThat(f.subject().pid()).isEqualTo((int) server);
            });
            assertThat(w.findings()).extracting(Finding::remote)
                    .containsExactlyInAnyOrder("0.0.0.0:9000/tcp", "0.0.0.0:5353/udp");
            Finding tcp = w.of(NetworkAllowlistRule.LISTEN).stream().filter(f -> f.remote().endsWith("/tcp"))
                    .findFirst().orElseThrow();
            assertThat(tcp.detail()).isEqualTo(python + " (pid " + server
                    + ") listens on 0.0.0.0:9000/tcp, which no listen entry allows");

            ProcessHandle.of(server).ifPresent(ProcessHandle::destroyForcibly);
            Tools.await(Duration.ofSeconds(5), "the first listener gone", () -> Tools.exe(server) == null);
            long again = root.spawn(Tools.PYTHON, "-c", listen);
            w.until(Duration.ofSeconds(5), "the same listeners in a new process",
                    x -> x.of(ViolationKind.LISTEN).size() == 4);
            assertThat(w.findings().subList(2, 4)).allSatisfy(f -> assertThat(f.subject().pid()).isEqualTo((int) again));
        }
    }

    private static List<SocketSample> outboundTo(Watch w, String ip, int port) {
        return w.last().outbound().stream()
                .filter(s -> s.remote().ip().equals(ip) && s.remote().port() == port).toList();
    }
}
