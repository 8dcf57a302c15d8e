package dev.picket.observe;

import dev.picket.testing.Host;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The netlink sock_diag path must see exactly what /proc/net/tcp and tcp6 show: the same sockets with the same
 * state, endpoints (IPv4-mapped addresses as IPv4), uid and inode. The scanner takes TCP from netlink in its own
 * network namespace, so this is what keeps that switch from weakening anything.
 */
class NetlinkSocketsTest {

    @Test
    void netlinkRowsEqualProcRowsForTheSameSockets() throws Exception {
        Host.requireLinux();
        NetlinkSockets netlink = NetlinkSockets.open();
        assertThat(netlink).as("netlink unavailable: " + NetlinkSockets.UNAVAILABLE).isNotNull();
        try (ServerSocket v4 = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                ServerSocket v6 = new ServerSocket(0, 50, InetAddress.getByName("::"));
                Socket c4 = new Socket("127.0.0.1", v4.getLocalPort());
                Socket a4 = v4.accept();
                Socket c6 = new Socket("::1", v6.getLocalPort());
                Socket a6 = v6.accept();
                Socket mapped = new Socket("127.0.0.1", v6.getLocalPort());
                Socket am = v6.accept()) {
            Map<Long, SocketSample> viaNetlink = new HashMap<>();
            SocketTables tables = new SocketTables(1);
            tables.begin();
            List<SocketTables.Row> rows = new ArrayList<>();
            netlink.dumpTcp(NetlinkSockets.AF_INET, (b, len, seq) -> tables.parseDiag(b, len, seq, Transport.TCP, rows));
            netlink.dumpTcp(NetlinkSockets.AF_INET6, (b, len, seq) -> tables.parseDiag(b, len, seq, Transport.TCP, rows));
            for (SocketTables.Row r : rows) {
                viaNetlink.put(r.sample().inode(), r.sample());
            }
            Map<Long, SocketSample> viaProc = new HashMap<>();
            SocketTables procTables = new SocketTables(1);
            procTables.begin();
            List<SocketTables.Row> procRows = new ArrayList<>();
            byte[] tcp = Files.readAllBytes(Path.of("/proc/self/net/tcp"));
            procTables.parseInet(tcp, tcp.length, Transport.TCP, 4, procRows);
            byte[] tcp6 = Files.readAllBytes(Path.of("/proc/self/net/tcp6"));
            procTables.parseInet(tcp6, tcp6.length, Transport.TCP, 6, procRows);
            for (SocketTables.Row r : procRows) {
                viaProc.put(r.sample().inode(), r.sample());
            }
            List<Long> ours = new ArrayList<>();
            for (String fd : fds()) {
                try {
                    long inode = ProcScanner.socketInode(Files.readSymbolicLink(Path.of("/proc/self/fd", fd)).toString());
                    if (inode != 0 && viaProc.containsKey(inode)) {
                        ours.add(inode);
                    }
                } catch (IOException e) {
                    // an fd closed meanwhile
                }
            }
            // two listeners, and both ends of three connections (one of them IPv4 on an IPv6 socket)
            assertThat(ours).hasSizeGreaterThanOrEqualTo(8);
            for (long inode : ours) {
                assertThat(viaNetlink.get(inode)).as("inode " + inode).isEqualTo(viaProc.get(inode));
            }
            SocketSample mappedEnd = viaNetlink.get(inodeOf(mapped.getLocalPort(), viaNetlink));
            assertThat(mappedEnd.local().address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        }
    }

    @Test
    void anUnchangedRowIsReusedAndAChangedOneIsNot() throws Exception {
        Host.requireLinux();
        NetlinkSockets netlink = NetlinkSockets.open();
        assertThat(netlink).isNotNull();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            SocketTables tables = new SocketTables(1);
            Map<Long, SocketTables.Row> first = scan(netlink, tables);
            Map<Long, SocketTables.Row> second = scan(netlink, tables);
            long listener = inodeOfPort(server.getLocalPort(), first);
            assertThat(second.get(listener)).isSameAs(first.get(listener));
            Socket c = new Socket("127.0.0.1", server.getLocalPort());
            Socket a = server.accept();
            a.close(); // the client's end goes to CLOSE_WAIT
            Thread.sleep(50);
            Map<Long, SocketTables.Row> third = scan(netlink, tables);
            long client = inodeOfPort(c.getLocalPort(), third);
            assertThat(third.get(client).sample().state()).isEqualTo("CLOSE_WAIT");
            c.close();
        }
    }

    private static Map<Long, SocketTables.Row> scan(NetlinkSockets netlink, SocketTables tables) throws Exception {
        tables.begin();
        List<SocketTables.Row> rows = new ArrayList<>();
        netlink.dumpTcp(NetlinkSockets.AF_INET, (b, len, seq) -> tables.parseDiag(b, len, seq, Transport.TCP, rows));
        // a Java socket bound to 127.0.0.1 is an IPv6 socket with a mapped address
        netlink.dumpTcp(NetlinkSockets.AF_INET6, (b, len, seq) -> tables.parseDiag(b, len, seq, Transport.TCP, rows));
        Map<Long, SocketTables.Row> out = new HashMap<>();
        for (SocketTables.Row r : rows) {
            out.put(r.sample().inode(), r);
        }
        return out;
    }

    private static long inodeOf(int localPort, Map<Long, SocketSample> samples) {
        return samples.values().stream().filter(s -> s.local().port() == localPort && s.inode() != 0)
                .mapToLong(SocketSample::inode).findFirst().orElseThrow();
    }

    private static long inodeOfPort(int localPort, Map<Long, SocketTables.Row> rows) {
        return rows.values().stream().filter(r -> r.sample().local().port() == localPort && r.inode != 0)
                .mapToLong(r -> r.inode).findFirst().orElseThrow();
    }

    private static List<String> fds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
