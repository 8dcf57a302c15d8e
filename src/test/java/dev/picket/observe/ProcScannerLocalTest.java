package dev.picket.observe;

import dev.picket.testing.Children;
import dev.picket.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The scanner against real child processes of this JVM, watched as a process tree (root-pid mode). */
class ProcScannerLocalTest {

    private Children children;

    @BeforeEach
    void setUp() {
        Host.requireLinux();
        children = new Children();
    }

    @AfterEach
    void tearDown() {
        children.close();
    }

    @Test
    void seesExeArgvUidAndParent() throws Exception {
        Host.requireRoot();
        Process tree = children.sh("setpriv --reuid=4321 --regid=4321 --clear-groups sleep 301.5 & wait");
        try (ProcScanner scanner = Scans.rootPid(tree.pid())) {
            // setpriv's own argv holds 301.5 too: wait until it has exec'd sleep
            Snapshot s = Scans.until(scanner, Duration.ofSeconds(5), x -> Scans.byArg(x, "301.5") != null
                    && Scans.byArg(x, "301.5").exe() != null && Scans.byArg(x, "301.5").exe().path().endsWith("/sleep"));
            ProcessSample sleep = Scans.byArg(s, "301.5");
            assertThat(sleep.exe().path()).endsWith("/sleep");
            assertThat(sleep.argv().args()).containsExactly("sleep", "301.5");
            assertThat(sleep.uid()).isEqualTo(new Ids(4321, 4321, 4321, 4321));
            assertThat(sleep.gid().effective()).isEqualTo(4321);
            assertThat(sleep.ppid()).isEqualTo((int) tree.pid());
            assertThat(sleep.parentExe()).isEqualTo(Path.of("/bin/sh").toRealPath().toString());
            assertThat(sleep.comm()).isEqualTo("sleep");
            assertThat(sleep.started()).isNotNull();
            assertThat(s.processes()).extracting(ProcessSample::pid).contains((int) tree.pid());
            assertThat(s.scope().kind()).isEqualTo(WatchScope.Kind.ROOT_PID);
        }
    }

    @Test
    void tcpConnectionsOverIpv4AndIpv6HaveOwnerRemotePortAndState() throws Exception {
        Host.requireCommand("bash");
        try (ServerSocket v4 = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                ServerSocket v6 = new ServerSocket(0, 50, InetAddress.getByName("::1"))) {
            Process client = children.start("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + v4.getLocalPort()
                    + "; exec 4<>/dev/tcp/::1/" + v6.getLocalPort() + "; exec sleep 302");
            try (Socket a = v4.accept(); Socket b = v6.accept(); ProcScanner scanner = Scans.rootPid(client.pid())) {
                Snapshot s = Scans.until(scanner, Duration.ofSeconds(5), x -> x.outbound().size() >= 2);
                SocketSample c4 = find(s.outbound(), v4.getLocalPort());
                SocketSample c6 = find(s.outbound(), v6.getLocalPort());
                assertThat(c4.ownerPid()).isEqualTo((int) client.pid());
                assertThat(c4.state()).isEqualTo("ESTABLISHED");
                assertThat(c4.transport()).isEqualTo(Transport.TCP);
                assertThat(c4.remote().ip()).isEqualTo("127.0.0.1");
                assertThat(c4.remoteSpec()).isEqualTo("127.0.0.1:" + v4.getLocalPort() + "/tcp");
                assertThat(c6.ownerPid()).isEqualTo((int) client.pid());
                assertThat(c6.family()).isEqualTo(6);
                assertThat(c6.remote().ip()).isEqualTo("0:0:0:0:0:0:0:1");
                assertThat(c6.state()).isEqualTo("ESTABLISHED");
                // the JVM's own accepted ends are outside the watched tree
                assertThat(s.inbound()).isEmpty();
                assertThat(s.listeners()).isEmpty();
            }
        }
    }

    @Test
    void listenerAppearsAsListenerAndIpv4MappedAddressesAsIpv4() throws Exception {
        Process server = children.start("python3", "-c", String.join("\n",
                "import socket, time",
                "s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)",
                "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)",
                "s.bind(('::', 0)); s.listen()",
                "c = socket.create_connection(('::ffff:127.0.0.1', s.getsockname()[1]))",
                "a, _ = s.accept()",
                "time.sleep(303)"));
        try (ProcScanner scanner = Scans.rootPid(server.pid())) {
            Snapshot s = Scans.until(scanner, Duration.ofSeconds(10),
                    x -> !x.listeners().isEmpty() && !x.outbound().isEmpty() && !x.inbound().isEmpty());
            SocketSample listener = s.listeners().getFirst();
            assertThat(listener.state()).isEqualTo("LISTEN");
            assertThat(listener.direction()).isEqualTo(Direction.LISTEN);
            assertThat(listener.ownerPid()).isEqualTo((int) server.pid());
            SocketSample out = s.outbound().getFirst();
            assertThat(out.remote().ip()).isEqualTo("127.0.0.1");
            assertThat(out.remote().port()).isEqualTo(listener.local().port());
            assertThat(s.inbound().getFirst().local().port()).isEqualTo(listener.local().port());
        }
    }

    @Test
    void cpuOfABurnerMatchesTheTimeTheKernelScheduledIt() throws Exception {
        // The reference is /proc/PID/schedstat (nanoseconds on the CPU, a different counter from stat's ticks), over
        // the same window: a busy machine gives the burner less than a core, and Picket must report what it got.
        Process burner = children.sh("while :; do :; done");
        Path schedstat = Path.of("/proc", Long.toString(burner.pid()), "schedstat");
        try (ProcScanner scanner = Scans.rootPid(burner.pid())) {
            long cpu0 = Long.parseLong(Files.readString(schedstat).split(" ")[0]);
            long wall0 = System.nanoTime();
            scanner.scan();
            Thread.sleep(2000);
            Snapshot s = scanner.scan();
            long wall1 = System.nanoTime();
            long cpu1 = Long.parseLong(Files.readString(schedstat).split(" ")[0]);
            double scheduled = (double) (cpu1 - cpu0) / (wall1 - wall0);
            assertThat(scheduled).as("the burner ran").isGreaterThan(0.05);
            assertThat(s.process((int) burner.pid()).cpuCores()).isCloseTo(scheduled, within(0.1));
            assertThat(s.totals().cpuCores()).isCloseTo(scheduled, within(0.1));
        }
    }

    @Test
    void allocationShowsInRss() throws Exception {
        Process hog = children.start("python3", "-c",
                "import time\nb = bytearray(200 * 1024 * 1024)\nfor i in range(0, len(b), 4096): b[i] = 1\ntime.sleep(304)");
        try (ProcScanner scanner = Scans.rootPid(hog.pid())) {
            Snapshot s = Scans.until(scanner, Duration.ofSeconds(10),
                    x -> x.process((int) hog.pid()) != null && x.process((int) hog.pid()).rssBytes() > 200L << 20);
            assertThat(s.totals().rssBytes()).isGreaterThan(200L << 20);
        }
    }

    @Test
    void deletedBinaryIsShownAsDeleted() throws Exception {
        Path dir = Files.createTempDirectory("picket-deleted");
        Path copy = dir.resolve("vanishing-sleep");
        Files.copy(Path.of("/bin/sleep"), copy, StandardCopyOption.COPY_ATTRIBUTES);
        Process p = children.start(copy.toString(), "305");
        Thread.sleep(200);
        Files.delete(copy);
        try (ProcScanner scanner = Scans.rootPid(p.pid())) {
            Snapshot s = Scans.until(scanner, Duration.ofSeconds(5), x -> x.process((int) p.pid()) != null);
            Executable exe = s.process((int) p.pid()).exe();
            assertThat(exe.deleted()).isTrue();
            assertThat(exe.raw()).isEqualTo(copy + " (deleted)");
            assertThat(exe.path()).isEqualTo(copy.toString());
            assertThat(exe.memfd()).isFalse();
        }
    }

    @Test
    void memfdExecutableIsShownAsMemfd() throws Exception {
        Process p = children.start("python3", "-c", String.join("\n",
                "import os",
                "fd = os.memfd_create('payload', 0)",
                "os.write(fd, open('/bin/sleep', 'rb').read())",
                "os.execv('/proc/self/fd/%d' % fd, ['payload', '306'])"));
        try (ProcScanner scanner = Scans.rootPid(p.pid())) {
            Snapshot s = Scans.until(scanner, Duration.ofSeconds(5), x -> x.process((int) p.pid()) != null
                    && x.process((int) p.pid()).argv().args().contains("306"));
            Executable exe = s.process((int) p.pid()).exe();
            assertThat(exe.memfd()).isTrue();
            assertThat(exe.path()).isEqualTo("/memfd:payload");
            assertThat(s.process((int) p.pid()).execCount()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void standardStreamsOnASocketAreFlagged() throws Exception {
        Host.requireCommand("bash");
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Process shell = children.start("bash", "-c",
                    "exec 0<>/dev/tcp/127.0.0.1/" + listener.getLocalPort() + " 1>&0; exec sleep 307");
            try (Socket accepted = listener.accept(); ProcScanner scanner = Scans.rootPid(shell.pid())) {
                // a scan whose socket tables were read before the connection was made sees the fds' socket inode
                // without its row yet; the next scan has both
                Snapshot s = Scans.until(scanner, Duration.ofSeconds(5), x -> x.process((int) shell.pid()) != null
                        && x.process((int) shell.pid()).stdioSockets().size() == 2
                        && x.process((int) shell.pid()).stdioSockets().stream().allMatch(ss -> ss.socket() != null));
                List<StdioSocket> stdio = s.process((int) shell.pid()).stdioSockets();
                assertThat(stdio).extracting(StdioSocket::fd).containsExactly(0, 1);
                assertThat(stdio.getFirst().socket().remote().port()).isEqualTo(listener.getLocalPort());
                assertThat(stdio.getFirst().socket().transport()).isEqualTo(Transport.TCP);
            }
        }
    }

    @Test
    void processInItsOwnNetworkNamespaceKeepsItsSocketsVisible() throws Exception {
        Host.requireRoot();
        Process p = children.start("unshare", "--net", "python3", "-c", String.join("\n",
                "import socket, time",
                "s = socket.socket(); s.bind(('127.0.0.1', 8123)); s.listen()",
                "time.sleep(308)"));
        try (ProcScanner scanner = Scans.rootPid(p.pid())) {
            Snapshot s = Scans.until(scanner, Duration.ofSeconds(10), x -> !x.listeners().isEmpty());
            SocketSample l = s.listeners().getFirst();
            assertThat(l.local().port()).isEqualTo(8123);
            ProcessSample owner = s.process(l.ownerPid());
            assertThat(owner.comm()).startsWith("python");
            long hostNet = Namespaces.parse(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
            assertThat(l.netns()).isNotEqualTo(hostNet).isEqualTo(owner.namespaces().net());
        }
    }

    @Test
    void processesExitingDuringScansCauseNoError() throws Exception {
        Process churn = children.sh("while :; do /bin/true; sh -c 'sleep 0.01' & done");
        try (ProcScanner scanner = Scans.rootPid(churn.pid())) {
            for (int i = 0; i < 60; i++) {
                Snapshot s = scanner.scan();
                assertThat(s.processes()).isNotEmpty();
                for (ProcessSample p : s.processes()) {
                    assertThat(p.unavailable()).doesNotContainValue("unreadable");
                }
                Thread.sleep(20);
            }
        }
    }

    private static SocketSample find(List<SocketSample> sockets, int remotePort) {
        return sockets.stream().filter(x -> x.remote().port() == remotePort).findFirst()
                .orElseThrow(() -> new AssertionError("no socket to port " + remotePort + " in " + sockets));
    }
}
