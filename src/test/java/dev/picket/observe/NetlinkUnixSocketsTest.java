package dev.picket.observe;

import dev.picket.testing.Children;
import dev.picket.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unix sockets of Picket's own network namespace read through netlink sock_diag must be what /proc/net/unix
 * shows for the same sockets (the scanner takes one or the other), except where /proc lets a socket's name
 * forge rows (F4 in docs/hardening.md): there netlink must give the one real row, its name escaped.
 */
class NetlinkUnixSocketsTest {

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
    void netlinkRowsEqualProcRowsForTheSameSockets(@TempDir Path dir) throws Exception {
        NetlinkSockets netlink = open();
        // a space and an escape character: both sources must turn the name into the same safe text
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("a b\u001b.sock"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
                SocketChannel client = SocketChannel.open(address);
                SocketChannel accepted = server.accept();
                SocketChannel unbound = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            Map<Long, SocketTables.Row> viaNetlink = byInode(dumpUnix(netlink, new SocketTables(1)));
            SocketTables procTables = new SocketTables(1);
            procTables.begin();
            List<SocketTables.Row> procRows = new ArrayList<>();
            byte[] unix = Files.readAllBytes(Path.of("/proc/self/net/unix"));
            procTables.parseUnix(unix, unix.length, procRows);
            Map<Long, SocketTables.Row> viaProc = byInode(procRows);

            List<Long> ours = ownInodes(viaProc);
            assertThat(ours).as("the listener, both ends of its connection and an unbound socket").hasSizeGreaterThanOrEqualTo(4);
            for (long inode : ours) {
                assertThat(viaNetlink).as("inode " + inode).containsKey(inode);
                assertThat(viaNetlink.get(inode).sample()).as("inode " + inode).isEqualTo(viaProc.get(inode).sample());
                assertThat(viaNetlink.get(inode).stateCode()).as("inode " + inode).isEqualTo(viaProc.get(inode).stateCode());
            }
            String path = dir.resolve("a b\\x1b.sock").toString();
            assertThat(ours.stream().map(i -> viaNetlink.get(i).sample()))
                    .anySatisfy(s -> {
                        assertThat(s.path()).isEqualTo(path);
                        assertThat(s.state()).isEqualTo("LISTEN");
                        assertThat(s.direction()).isEqualTo(Direction.LISTEN);
                    })
                    .anySatisfy(s -> {
                        // the accepted end carries the listener's name, the client's end none
                        assertThat(s.path()).isEqualTo(path);
                        assertThat(s.state()).isEqualTo("CONNECTED");
                    })
                    .anySatisfy(s -> {
                        assertThat(s.path()).isNull();
                        assertThat(s.state()).isEqualTo("CONNECTED");
                    })
                    .anySatisfy(s -> {
                        assertThat(s.path()).isNull();
                        assertThat(s.state()).isEqualTo("UNCONNECTED");
                    });
        }
    }

    @Test
    void anAbstractNameWithANewlineIsOneRowWithTheNewlineEscaped(@TempDir Path dir) throws Exception {
        Host.requireCommand("python3");
        NetlinkSockets netlink = open();
        HostileUnixSocket hostile = HostileUnixSocket.start(children, dir);

        List<SocketTables.Row> rows = dumpUnix(netlink, new SocketTables(1));
        List<SocketSample> its = rows.stream().map(SocketTables.Row::sample).filter(s -> s.inode() == hostile.inode).toList();
        assertThat(its).hasSize(1);
        assertThat(its.get(0).path()).isEqualTo(hostile.escapedName());
        assertThat(its.get(0).state()).isEqualTo("LISTEN");
        assertThat(rows).noneSatisfy(r -> assertThat(r.sample().path()).isEqualTo(HostileUnixSocket.FORGED_PATH));
        assertThat(rows).allSatisfy(r -> {
            if (r.sample().path() != null) {
                assertThat(r.sample().path()).doesNotContain("\n", "\r");
            }
        });

        // the procfs fallback, for contrast: the kernel's text gives the same socket a second, forged row
        byte[] unix = Files.readAllBytes(Path.of("/proc/self/net/unix"));
        SocketTables procTables = new SocketTables(1);
        procTables.begin();
        List<SocketTables.Row> procRows = new ArrayList<>();
        procTables.parseUnix(unix, unix.length, procRows);
        assertThat(procRows.stream().map(SocketTables.Row::sample).filter(s -> s.inode() == hostile.inode))
                .extracting(SocketSample::path)
                .containsExactlyInAnyOrder("@x", HostileUnixSocket.FORGED_PATH);
    }

    @Test
    void anUnchangedRowIsReusedAndARenamedOneIsNot(@TempDir Path dir) throws Exception {
        NetlinkSockets netlink = open();
        try (SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            SocketTables tables = new SocketTables(1);
            Map<Long, SocketTables.Row> first = byInode(dumpUnix(netlink, tables));
            Map<Long, SocketTables.Row> second = byInode(dumpUnix(netlink, tables));
            String path = dir.resolve("bound.sock").toString();
            socket.bind(UnixDomainSocketAddress.of(path));
            Map<Long, SocketTables.Row> third = byInode(dumpUnix(netlink, tables));
            long inode = ownInodes(third).stream().filter(i -> path.equals(third.get(i).sample().path()))
                    .findFirst().orElseThrow();
            assertThat(second.get(inode)).isSameAs(first.get(inode));
            assertThat(second.get(inode).sample().path()).isNull();
            assertThat(third.get(inode)).isNotSameAs(second.get(inode));
        }
    }

    /**
     * Datagram and seqpacket sockets: a socketpair, a datagram socket connected to a bound one, a bound and an unbound
     * one, a seqpacket listener and its connection. /proc/net/unix derives St from sk_state as sock_diag reports it,
     * so a connected (or bound) datagram socket is St 03 there, and the netlink row must say the same.
     */
    @Test
    void datagramAndSeqpacketRowsEqualProcRows(@TempDir Path dir) throws Exception {
        Host.requireCommand("python3");
        NetlinkSockets netlink = open();
        Path ready = dir.resolve("inodes");
        children.start("python3", "-c", """
                import os, socket, sys, time
                d = sys.argv[1]
                S = socket.socket
                a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
                srv = S(socket.AF_UNIX, socket.SOCK_DGRAM); srv.bind(d + "/dgram.sock")
                cl = S(socket.AF_UNIX, socket.SOCK_DGRAM); cl.connect(d + "/dgram.sock")
                lone = S(socket.AF_UNIX, socket.SOCK_DGRAM)
                c, e = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                sp = S(socket.AF_UNIX, socket.SOCK_SEQPACKET); sp.bind(d + "/seq.sock"); sp.listen(1)
                spc = S(socket.AF_UNIX, socket.SOCK_SEQPACKET); spc.connect(d + "/seq.sock"); spa, _ = sp.accept()
                all = [a, b, srv, cl, lone, c, e, sp, spc, spa]
                with open(sys.argv[2] + ".tmp", "w") as f:
                    f.write(" ".join(str(os.fstat(x.fileno()).st_ino) for x in all))
                os.rename(sys.argv[2] + ".tmp", sys.argv[2])
                time.sleep(600)
                """, dir.toString(), ready.toString());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(ready)) {
            assertThat(System.nanoTime()).as("python3 made its sockets").isLessThan(deadline);
            Thread.sleep(20);
        }
        List<Long> inodes = java.util.Arrays.stream(Files.readString(ready).trim().split(" ")).map(Long::parseLong).toList();

        Map<Long, SocketTables.Row> viaNetlink = byInode(dumpUnix(netlink, new SocketTables(1)));
        SocketTables procTables = new SocketTables(1);
        procTables.begin();
        List<SocketTables.Row> procRows = new ArrayList<>();
        byte[] unix = Files.readAllBytes(Path.of("/proc/self/net/unix"));
        procTables.parseUnix(unix, unix.length, procRows);
        Map<Long, SocketTables.Row> viaProc = byInode(procRows);
        for (long inode : inodes) {
            assertThat(viaProc).as("inode " + inode).containsKey(inode);
            assertThat(viaNetlink).as("inode " + inode).containsKey(inode);
            assertThat(viaNetlink.get(inode).sample()).as("inode " + inode).isEqualTo(viaProc.get(inode).sample());
            assertThat(viaNetlink.get(inode).stateCode()).as("inode " + inode).isEqualTo(viaProc.get(inode).stateCode());
        }
        // the connected datagram socket, and the unbound one that is not
        assertThat(viaNetlink.get(inodes.get(3)).sample().state()).isEqualTo(viaProc.get(inodes.get(3)).sample().state());
        assertThat(viaNetlink.get(inodes.get(4)).sample().state()).isEqualTo("UNCONNECTED");
        assertThat(viaNetlink.get(inodes.get(7)).sample().state()).isEqualTo("LISTEN");
    }

    /**
     * A process holding CAP_NET_ADMIN sends Picket's netlink socket a forged row and NLMSG_DONE with the request's
     * own sequence number, between the request and the kernel's answer: the dump must drop the datagram (it does
     * not come from port 0, the kernel) and still give the kernel's table.
     */
    @Test
    void aDatagramFromAnotherNetlinkSocketIsDropped(@TempDir Path dir) throws Exception {
        Host.requireRoot(); // CAP_NET_ADMIN, which sending to another netlink socket's port needs
        Host.requireCommand("python3");
        NetlinkSockets netlink = open();
        String path = dir.resolve("real.sock").toString();
        try (NetlinkForger forger = new NetlinkForger();
                ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                        .bind(UnixDomainSocketAddress.of(path))) {
            int[] forged = {0};
            netlink.afterSend = (fd, seq, family) -> {
                forger.send(fd, seq, 1);
                forged[0]++;
            };
            int droppedBefore = netlink.foreignDropped;
            List<SocketTables.Row> rows = dumpUnix(netlink, new SocketTables(1));
            assertThat(forged[0]).isEqualTo(1);
            assertThat(rows).noneSatisfy(r -> assertThat(r.sample().inode()).isEqualTo(NetlinkForger.FORGED_INODE));
            assertThat(rows).noneSatisfy(r -> assertThat(r.sample().path()).isEqualTo(NetlinkForger.FORGED_PATH));
            assertThat(rows).anySatisfy(r -> assertThat(r.sample().path()).isEqualTo(path));
            // and the test did what it says: the forged datagram reached the socket and was read, then dropped
            assertThat(netlink.foreignDropped - droppedBefore).as("forged datagrams dropped").isEqualTo(1);
        }
    }

    /**
     * A flood of foreign datagrams fails the scanner's unix dumps: it reads /proc/net/unix, says so in a note, and
     * after three failed scans asks netlink again only every 60 scans, not never again.
     */
    @Test
    void failedUnixDumpsAreNotedAndRetriedAfterABackOff() throws Exception {
        Host.requireRoot();
        Host.requireCommand("python3");
        try (NetlinkForger forger = new NetlinkForger();
                ProcScanner scanner = Scans.rootPid(ProcessHandle.current().pid())) {
            NetlinkSockets netlink = scanner.netlink();
            assertThat(netlink).as("netlink unavailable: " + NetlinkSockets.UNAVAILABLE).isNotNull();
            int[] unixDumps = {0};
            boolean[] flood = {true};
            netlink.afterSend = (fd, seq, family) -> {
                if (family == NetlinkSockets.AF_UNIX) {
                    unixDumps[0]++;
                    if (flood[0]) {
                        forger.send(fd, seq, NetlinkSockets.MAX_FOREIGN + 1);
                    }
                }
            };
            java.util.function.Function<Snapshot, List<String>> netlinkNotes = s -> s.visibility().notes().stream()
                    .filter(n -> n.contains("/proc/net/unix")).toList();
            Snapshot first = scanner.scan();
            assertThat(unixDumps[0]).isEqualTo(1);
            assertThat(netlinkNotes.apply(first)).singleElement().asString()
                    .contains("not from the kernel", "forge rows").doesNotContain("retried");
            scanner.scan();
            Snapshot third = scanner.scan();
            assertThat(unixDumps[0]).isEqualTo(3);
            assertThat(netlinkNotes.apply(third)).singleElement().asString().contains("retried every 60 scans");
            flood[0] = false;
            for (int scan = 4; scan < 3 + NetlinkSockets.Backoff.RETRY_SCANS; scan++) {
                Snapshot s = scanner.scan();
                assertThat(netlinkNotes.apply(s)).as("scan " + scan).hasSize(1);
            }
            assertThat(unixDumps[0]).as("no unix dump while backing off").isEqualTo(3);
            Snapshot retried = scanner.scan();
            assertThat(unixDumps[0]).as("tried again after the back-off").isEqualTo(4);
            assertThat(netlinkNotes.apply(retried)).isEmpty();
        }
    }

    private static NetlinkSockets open() {
        NetlinkSockets netlink = NetlinkSockets.open();
        assertThat(netlink).as("netlink unavailable: " + NetlinkSockets.UNAVAILABLE).isNotNull();
        return netlink;
    }

    private static List<SocketTables.Row> dumpUnix(NetlinkSockets netlink, SocketTables tables) throws Exception {
        tables.begin();
        List<SocketTables.Row> rows = new ArrayList<>();
        netlink.dumpUnix((b, len, seq) -> tables.parseDiag(b, len, seq, Transport.UNIX, rows));
        assertThat(rows).allSatisfy(r -> assertThat(r.sample().transport()).isEqualTo(Transport.UNIX));
        return rows;
    }

    private static Map<Long, SocketTables.Row> byInode(List<SocketTables.Row> rows) {
        Map<Long, SocketTables.Row> out = new HashMap<>();
        for (SocketTables.Row r : rows) {
            out.put(r.sample().inode(), r);
        }
        return out;
    }

    /** Inodes of this JVM's own sockets among {@code rows}. */
    private static List<Long> ownInodes(Map<Long, SocketTables.Row> rows) throws IOException {
        List<Long> ours = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    long inode = ProcScanner.socketInode(Files.readSymbolicLink(fd).toString());
                    if (inode != 0 && rows.containsKey(inode)) {
                        ours.add(inode);
                    }
                } catch (IOException e) {
                    // an fd closed meanwhile
                }
            }
        }
        return ours;
    }
}
