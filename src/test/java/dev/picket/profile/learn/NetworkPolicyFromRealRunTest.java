package dev.picket.profile.learn;

import dev.picket.profile.ProfileReader;
import dev.picket.profile.WorkloadProfileSpec;
import dev.picket.testing.Children;
import dev.picket.testing.Host;
import dev.picket.testing.Sandbox;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A NetworkPolicy from what Picket learned of real processes: a pod-like sandbox (own PID and network namespaces)
 * runs the scanner, judge and learner ({@link LearnInSandboxMain}) next to a workload that listens on TCP 8000 and
 * UDP 5353, holds TCP connections to two remote services over IPv4 and one over IPv6, sends to a remote UDP port and
 * asks the cluster resolver. The remote services run in a network namespace of their own, joined to the pod's by a
 * veth pair, like another pod on the node. The learned profile, as {@code GET /v1/profile/learned} renders it,
 * becomes the policy, which is read back strictly and given to {@code kubectl apply --dry-run=client}.
 */
class NetworkPolicyFromRealRunTest {

    private static final String REMOTE = "10.1.2.3";
    private static final String OTHER = "10.1.2.4";
    private static final String REMOTE_V6 = "fd00:1::3";
    private static final String RESOLVER = "10.1.2.53";

    @TempDir
    Path dir;

    private static final String REMOTES = """
            import socket, sys, threading, time, os
            def serve(family, host, port):
                s = socket.socket(family, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((host, port)); s.listen(16)
                def loop():
                    held = []
                    while True:
                        c, _ = s.accept(); held.append(c)
                threading.Thread(target=loop, daemon=True).start()
            serve(socket.AF_INET, '%s', 5432)
            serve(socket.AF_INET, '%s', 443)
            serve(socket.AF_INET6, '%s', 8443)
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('%s', 5140))
            open(os.path.join(sys.argv[1], 'remotes'), 'w').close()
            time.sleep(600)
            """.formatted(REMOTE, OTHER, REMOTE_V6, OTHER);

    private static final String WORKLOAD = """
            import socket, sys, time, os
            srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind(('0.0.0.0', 8000)); srv.listen(16)
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); udp.bind(('0.0.0.0', 5353))
            held = [socket.create_connection(('%s', 5432)), socket.create_connection(('%s', 443))]
            v6 = socket.socket(socket.AF_INET6); v6.connect(('%s', 8443)); held.append(v6)
            logs = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); logs.connect(('%s', 5140)); logs.send(b'hello')
            dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); dns.connect(('%s', 53)); dns.send(b'query')
            held += [logs, dns]
            open(os.path.join(sys.argv[1], 'workload-ready'), 'w').close()
            time.sleep(600)
            """.formatted(REMOTE, OTHER, REMOTE_V6, OTHER, RESOLVER);

    @Test
    void theLearnedTrafficOfRealProcessesBecomesAValidNetworkPolicy() throws Exception {
        Host.requireRoot();
        for (String command : List.of("unshare", "nsenter", "ip", "python3")) {
            Host.requireCommand(command);
        }
        Files.writeString(dir.resolve("remotes.py"), REMOTES);
        Files.writeString(dir.resolve("workload.py"), WORKLOAD);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path link = dir.resolve("link");
        String script = String.join("\n",
                "while [ ! -f " + link + " ]; do sleep 0.05; done",
                "'" + java + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -cp '"
                        + System.getProperty("java.class.path") + "' " + LearnInSandboxMain.class.getName() + " " + dir
                        + " 200 " + RESOLVER + " > " + dir.resolve("learn.log") + " 2>&1 &",
                "while [ ! -f " + dir.resolve("ready") + " ]; do sleep 0.05; done",
                "python3 " + dir.resolve("workload.py") + " " + dir + " &",
                "wait", "");
        String remoteSide = String.join("\n",
                "while [ ! -f " + link + " ]; do sleep 0.05; done",
                "ip link set lo up && ip link set picket-r up",
                "ip addr add " + REMOTE + "/24 dev picket-r && ip addr add " + OTHER + "/24 dev picket-r"
                        + " && ip addr add " + RESOLVER + "/24 dev picket-r && ip -6 addr add " + REMOTE_V6
                        + "/64 dev picket-r nodad",
                "exec python3 " + dir.resolve("remotes.py") + " " + dir, "");
        try (Sandbox pod = Sandbox.start(true, script); Children children = new Children()) {
            // The remote side: a network namespace of its own, like another pod's.
            Process remotes = children.start("unshare", "--net", "--", "/bin/sh", "-c", remoteSide);
            String podNet = "--net=/proc/" + pod.initHostPid() + "/ns/net";
            run("nsenter", podNet, "ip", "link", "add", "picket-p", "type", "veth", "peer", "name", "picket-r",
                    "netns", Long.toString(remotes.pid()));
            run("nsenter", podNet, "sh", "-c", "ip addr add 10.1.2.2/24 dev picket-p && ip -6 addr add "
                    + "fd00:1::2/64 dev picket-p nodad && ip link set picket-p up");
            Files.writeString(link, "");
            await(dir.resolve("learned.yaml"), Duration.ofSeconds(60));
        }
        String learnedYaml = Files.readString(dir.resolve("learned.yaml"));
        WorkloadProfileSpec learned = ProfileReader.read(learnedYaml).orElseThrow().getSpec();

        assertThat(learned.getNetwork().getEgress()).as(learnedYaml).extracting(e -> e.getCidr() + " " + e.getPorts()
                + "/" + e.getProtocol()).containsExactlyInAnyOrder(REMOTE + "/32 [5432]/TCP", OTHER + "/32 [443]/TCP",
                OTHER + "/32 [5140]/UDP", "fd00:1:0:0:0:0:0:3/128 [8443]/TCP");
        assertThat(learnedYaml).as("DNS to the resolver is not egress").doesNotContain(RESOLVER);
        assertThat(learned.getNetwork().getListen()).as(learnedYaml).extracting(l -> l.getPort() + "/" + l.getProtocol())
                .containsExactly("5353/UDP", "8000/TCP");

        NetworkPolicyProposal.Inputs inputs = new NetworkPolicyProposal.Inputs("shop", Optional.of("shop"),
                "what pod shop/web-1 learned", learned,
                NetworkPolicyProposal.selection(Optional.empty(), "file profile.yaml",
                        Optional.of(Map.of("app", "shop", "pod-template-hash", "5d8c7f"))),
                List.of(InetAddress.getByName(RESOLVER)), Optional.empty(), List.of(8788, 8789));
        String yaml = NetworkPolicyProposal.yaml(inputs);
        NetworkPolicy np = StrictNetworkPolicy.read(yaml);

        assertThat(np.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Map.of("app", "shop"));
        List<String> egress = np.getSpec().getEgress().stream().map(NetworkPolicyFromRealRunTest::describe).toList();
        assertThat(egress).as(yaml).containsExactly(
                "[ns{kubernetes.io/metadata.name=kube-system} pods{k8s-app=kube-dns}, " + RESOLVER + "/32] [UDP/53, TCP/53]",
                "[" + REMOTE + "/32] [TCP/5432]",
                "[" + OTHER + "/32] [TCP/443]",
                "[" + OTHER + "/32] [UDP/5140]",
                "[" + REMOTE_V6 + "/128] [TCP/8443]");
        assertThat(np.getSpec().getIngress()).hasSize(2);
        assertThat(describe(np.getSpec().getIngress().getFirst().getPorts())).isEqualTo("[UDP/5353, TCP/8000]");
        assertThat(KubectlDryRun.apply(yaml)).contains("name: picket-shop");
    }

    private static String describe(NetworkPolicyEgressRule rule) {
        return rule.getTo().stream().map(p -> p.getIpBlock() != null ? p.getIpBlock().getCidr()
                : "ns" + p.getNamespaceSelector().getMatchLabels() + " pods" + p.getPodSelector().getMatchLabels())
                .toList() + " " + describe(rule.getPorts());
    }

    private static String describe(List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort> ports) {
        return ports.stream().map(p -> p.getProtocol() + "/" + p.getPort().getIntVal()).toList().toString();
    }

    /** Runs a command to its end; fails with its output when it fails. */
    private static void run(String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.PIPE);
        builder.redirectErrorStream(true);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
    }

    private void await(Path file, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                Path log = dir.resolve("learn.log");
                throw new AssertionError("no " + file.getFileName() + " after " + timeout
                        + (Files.exists(log) ? "; the learner's log:\n" + Files.readString(log) : ""));
            }
            Thread.sleep(50);
        }
    }
}
