package dev.picket.judge;

import dev.picket.observe.ProcessSample;
import dev.picket.observe.SocketSample;
import dev.picket.profile.Profile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workloads that must raise nothing: learned for a while as the sidecar learns with no profile
 * configured, then judged under the learned profile by a fresh judge, so every process, socket and rate is
 * judged anew against what was learned. The judge's clock moves one second per scan (the sidecar's
 * default interval) so the one-minute fork-rate window fills in seconds; processes, sockets and counts are
 * real.
 */
class BenignWorkloadsLocalTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration LEARN = Duration.ofSeconds(2);
    private static final Duration REPLAY = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        Tools.requireTools();
    }

    private static String learn(Spawner root) {
        try (Watch w = Watch.stepping(root.pid(), Profiles.permissive(), SECOND)) {
            String yaml = w.learn(LEARN);
            assertThat(w.findings()).as("no threat while learning").isEmpty();
            return yaml;
        }
    }

    private static Watch replay(Spawner root, String learnedYaml) {
        Profile learned = Profiles.compile(learnedYaml);
        Watch w = Watch.stepping(root.pid(), learned, SECOND);
        w.scanFor(REPLAY);
        return w;
    }

    @Test
    void aServiceWithTwoHundredThreadsAndNoChildren() {
        try (Spawner root = Spawner.start()) {
            root.spawn(Tools.PYTHON, "-c", String.join("\n",
                    "import socket, threading, time",
                    "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()",
                    "def work():",
                    "    while True: sum(range(2000)); time.sleep(0.05)",
                    "for _ in range(200): threading.Thread(target=work, daemon=True).start()",
                    "time.sleep(600)"), "jvm-like");
            String yaml = learn(root);
            try (Watch w = replay(root, yaml)) {
                assertThat(w.last().totals().threads()).as("the threads are there").isGreaterThanOrEqualTo(200);
                assertThat(w.last().totals().processes()).as("no children: spawner and service").isEqualTo(2);
                assertThat(w.findings()).as(w.report() + "\nlearned:\n" + yaml).isEmpty();
            }
        }
    }

    @Test
    void aPreForkingServerThatRecyclesItsWorkers() throws Exception {
        try (Spawner root = Spawner.start()) {
            Path ready = dir.resolve("prefork-port");
            long master = root.spawn(Tools.PYTHON, Tools.script("prefork.py"), ready.toString());
            Tools.await(Duration.ofSeconds(5), "the server listens", () -> Files.exists(ready));
            int port = Integer.parseInt(Files.readString(ready).trim());
            try (Requests traffic = new Requests(port)) {
                String yaml = learn(root);
                int before = traffic.served();
                try (Watch w = replay(root, yaml)) {
                    assertThat(traffic.served() - before).as("requests served while judged").isGreaterThan(15);
                    Set<Integer> workers = new HashSet<>(w.seenPids());
                    workers.removeAll(Set.of((int) root.pid(), (int) master));
                    assertThat(workers).as("workers recycled while judged (3 at a time)").hasSizeGreaterThan(5);
                    assertThat(w.findings()).as(w.report() + "\nlearned:\n" + yaml).isEmpty();
                }
            }
        }
    }

    @Test
    void aServerThatReloadsByReExecutingItsOwnBinary() throws Exception {
        try (Spawner root = Spawner.start()) {
            Path ready = dir.resolve("reexec-port");
            long server = root.spawn(Tools.PYTHON, Tools.script("reexec.py"), ready.toString());
            Tools.await(Duration.ofSeconds(5), "the server listens", () -> Files.exists(ready));
            int port = Integer.parseInt(Files.readString(ready).trim());
            try (Requests traffic = new Requests(port)) {
                String yaml = learn(root);
                int reloadsBefore = reloads(server);
                try (Watch w = replay(root, yaml)) {
                    ProcessSample now = w.last().process((int) server);
                    assertThat(now).as("the same pid throughout").isNotNull();
                    assertThat(reloads(server) - reloadsBefore).as("reloads while judged").isGreaterThanOrEqualTo(3);
                    assertThat(w.last().listeners()).as("the listener handed over").extracting(l -> l.local().port())
                            .containsExactly(port);
                    assertThat(w.findings()).as(w.report() + "\nlearned:\n" + yaml).isEmpty();
                }
            }
        }
    }

    /** DNS to the cluster resolver: a DNS stub at 10.1.2.53 in a test network namespace, the judge told it is the resolver. */
    @Test
    void dnsLookupsToTheClusterResolver() throws Exception {
        JudgeContext context = new JudgeContext(List.of(InetAddress.getByName(NetLab.RESOLVER)), Optional.empty(), 0,
                32768, 60999);
        Profile written = Profiles.spec("""
                processes:
                  allow:
                    - exe: %s
                  allowRoot: true
                network:
                  egress: []
                threats:
                  disable: [namespace-change]
                """.formatted(Tools.python()));
        try (NetLab lab = NetLab.start(); Spawner root = lab.spawner()) {
            lab.client(root, "resolver", "dns:10.1.2.53:53", "tcpdns:10.1.2.53:53");
            // and short-lived lookups, a new socket each, as a resolver library makes them
            String lookups = String.join("\n",
                    "import socket, struct, time",
                    "q = struct.pack('!HHHHHH', 7, 0x0100, 1, 0, 0, 0) + b'\\x02db\\x03svc\\x00' + struct.pack('!HH', 1, 1)",
                    "while True:",
                    "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect(('10.1.2.53', 53)); s.send(q)",
                    "    s.settimeout(2); s.recv(512); time.sleep(0.15); s.close()");
            root.spawn(Tools.PYTHON, "-c", lookups);
            try (Watch w = Watch.tree(root.pid(), written, context)) {
                w.scanFor(Duration.ofSeconds(2));
                List<String> remotes = w.last().outbound().stream().map(SocketSample::remoteSpec).toList();
                assertThat(remotes).as("the lookups are seen").contains("10.1.2.53:53/udp", "10.1.2.53:53/tcp");
                assertThat(w.findings()).as(w.report()).isEmpty();
            }
        }
    }

    private static int reloads(long pid) {
        List<String> argv = Tools.argv(pid);
        return argv.size() > 4 ? Integer.parseInt(argv.get(4)) : 0;
    }

    /** A client in the test JVM sending a request every 20 ms until closed. */
    private static final class Requests implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger served = new AtomicInteger();
        private final Thread thread;

        Requests(int port) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        s.setSoTimeout(2000);
                        OutputStream out = s.getOutputStream();
                        out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        InputStream in = s.getInputStream();
                        in.readAllBytes();
                        served.incrementAndGet();
                    } catch (IOException e) {
                        // the server between workers or mid-reload: try again
                    }
                    Tools.sleep(20);
                }
            });
        }

        int served() {
            return served.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }
    }
}
