package dev.picket.observe;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Parsers against /proc content recorded from a real kernel by {@code proc-samples/capture.sh},
 * including hostile samples: a comm with spaces and parentheses, a 200 kB argv, non-UTF-8 argv bytes.
 */
class ProcParsersTest {

    private static byte[] sample(String name) throws IOException {
        try (InputStream in = ProcParsersTest.class.getResourceAsStream("/proc-samples/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void statWithHostileCommKeepsTheWholeCommAndTheRightFields() throws IOException {
        byte[] b = sample("stat-hostile-comm");
        StatFields s = StatParser.parse(b, b.length);
        assertThat(s.pid()).isEqualTo(18471);
        assertThat(s.comm()).isEqualTo("a) (b c) d");
        assertThat(s.state()).isEqualTo('S');
        assertThat(s.ppid()).isEqualTo(18466);
        assertThat(s.threads()).isEqualTo(1);
        assertThat(s.startTicks()).isEqualTo(66950);
        assertThat(s.rssPages()).isEqualTo(410);
    }

    @Test
    void execSignatureChangesWithTheProgramImageButNotWithTime() throws IOException {
        byte[] b = sample("stat-hostile-comm");
        String text = new String(b);
        StatFields before = StatParser.parse(b, b.length);
        // same process a moment later: more CPU and memory, same image
        byte[] later = text.replace(" 2990080 410 ", " 2990080 999 ").getBytes();
        assertThat(StatParser.parse(later, later.length).execSignature()).isEqualTo(before.execSignature());
        // after exec: new code segment addresses
        byte[] exec = text.replace("94845000339456 94845000357385", "94000000000000 94000000017929").getBytes();
        assertThat(StatParser.parse(exec, exec.length).execSignature()).isNotEqualTo(before.execSignature());
    }

    @Test
    void truncatedOrGarbageStatIsRejectedNotMisread() {
        byte[] noParen = "123 sleep S 1 2 3".getBytes();
        assertThatThrownBy(() -> StatParser.parse(noParen, noParen.length)).isInstanceOf(IllegalArgumentException.class);
        byte[] shortOne = "123 (x) S 1 2".getBytes();
        assertThatThrownBy(() -> StatParser.parse(shortOne, shortOne.length)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusGivesAllFourIdsAndTheTracer() throws IOException {
        byte[] b = sample("status-self");
        StatusFields s = StatusParser.parse(b, b.length);
        assertThat(s.uid()).isEqualTo(new Ids(0, 0, 0, 0));
        assertThat(s.tracerPid()).isZero();
        byte[] traced = new String(b).replace("TracerPid:\t0", "TracerPid:\t4242")
                .replaceFirst("Uid:\t0\t0\t0\t0", "Uid:\t1000\t0\t1000\t0").getBytes();
        StatusFields t = StatusParser.parse(traced, traced.length);
        assertThat(t.tracerPid()).isEqualTo(4242);
        assertThat(t.uid()).isEqualTo(new Ids(1000, 0, 1000, 0));
        assertThat(t.uid().anyRoot()).isTrue();
    }

    @Test
    void nonUtf8AndControlBytesInArgvAreEscapedVisibly() throws IOException {
        byte[] b = sample("cmdline-non-utf8");
        Argv a = Argv.parse(b, b.length, false);
        assertThat(a.args()).containsExactly("sh", "-c", "sleep 600; true", "\\xff\\xfe-bad", "line\\x0abreak");
        assertThat(a.joined()).doesNotContain("\n");
    }

    @Test
    void hugeArgvIsCutAtTheLimitAndSaysSo() throws IOException {
        byte[] b = sample("cmdline-huge");
        assertThat(b.length).isGreaterThan(200_000);
        int limit = 4096;
        Argv a = Argv.parse(b, limit, b.length > limit);
        assertThat(a.truncated()).isTrue();
        assertThat(String.join("", a.args()).length()).isLessThanOrEqualTo(limit);
        assertThat(a.args().subList(0, 3)).containsExactly("sh", "-c", "sleep 600; true");
    }

    @Test
    void safeTextKeepsValidUtf8AndEscapesBackslashes() {
        byte[] b = "caf\u00e9 \u2603 a\\b".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(SafeText.decode(b, 0, b.length)).isEqualTo("caf\u00e9 \u2603 a\\\\b");
        byte[] overlong = {(byte) 0xc0, (byte) 0xaf, 'x', (byte) 0xed, (byte) 0xa0, (byte) 0x80};
        assertThat(SafeText.decode(overlong, 0, overlong.length)).isEqualTo("\\xc0\\xafx\\xed\\xa0\\x80");
        byte[] c1 = {(byte) 0xc2, (byte) 0x9b};
        assertThat(SafeText.decode(c1, 0, c1.length)).isEqualTo("\\xc2\\x9b");
    }

    @Test
    void tcpTablesOverIpv4AndIpv6WithMappedAddresses() throws IOException {
        SocketTables tables = new SocketTables(77);
        tables.begin();
        List<SocketTables.Row> rows = new ArrayList<>();
        byte[] tcp = sample("net-tcp");
        tables.parseInet(tcp, tcp.length, Transport.TCP, 4, rows);
        byte[] tcp6 = sample("net-tcp6");
        tables.parseInet(tcp6, tcp6.length, Transport.TCP, 6, rows);
        List<String> described = rows.stream().map(r -> r.sample().state() + " " + r.sample().local() + " -> "
                + r.sample().remote()).toList();
        assertThat(described).contains(
                "LISTEN 127.0.0.1:8000 -> 0.0.0.0:0",
                "ESTABLISHED 127.0.0.1:40000 -> 127.0.0.1:8000",
                "LISTEN [0:0:0:0:0:0:0:0]:9000 -> [0:0:0:0:0:0:0:0]:0",
                "ESTABLISHED [fd00:0:0:0:0:0:0:1]:9000 -> [fd00:0:0:0:0:0:0:1]:43670");
        // the IPv4-mapped IPv6 connection reads as IPv4
        assertThat(rows).anyMatch(r -> r.sample().family() == 6 && r.sample().remote().toString().equals("127.0.0.1:9000"));
        assertThat(rows).allMatch(r -> r.sample().netns() == 77 && r.sample().inode() > 0);
    }

    @Test
    void unchangedRowsAreReusedAndChangedOnesAreNot() throws IOException {
        SocketTables tables = new SocketTables(1);
        byte[] tcp = sample("net-tcp");
        tables.begin();
        List<SocketTables.Row> first = new ArrayList<>();
        tables.parseInet(tcp, tcp.length, Transport.TCP, 4, first);
        tables.begin();
        List<SocketTables.Row> second = new ArrayList<>();
        tables.parseInet(tcp, tcp.length, Transport.TCP, 4, second);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).isSameAs(first.get(i));
        }
        // the same inode now in CLOSE_WAIT: a new sample
        String changed = new String(tcp).replaceFirst("(0100007F:9C40 0100007F:1F40) 01", "$1 08");
        byte[] c = changed.getBytes();
        tables.begin();
        List<SocketTables.Row> third = new ArrayList<>();
        tables.parseInet(c, c.length, Transport.TCP, 4, third);
        assertThat(third).anyMatch(r -> r.sample().state().equals("CLOSE_WAIT") && r.sample().local().port() == 40000);
    }

    @Test
    void udpRawPacketAndUnixTables() throws IOException {
        SocketTables tables = new SocketTables(5);
        tables.begin();
        List<SocketTables.Row> rows = new ArrayList<>();
        byte[] udp = sample("net-udp");
        tables.parseInet(udp, udp.length, Transport.UDP, 4, rows);
        assertThat(rows).extracting(r -> r.sample().state() + " " + r.sample().local() + " -> " + r.sample().remote())
                .contains("BOUND 0.0.0.0:5353 -> 0.0.0.0:0")
                .anyMatch(x -> x.startsWith("CONNECTED 127.0.0.1:") && x.endsWith("-> 127.0.0.1:53"));
        rows.clear();
        byte[] raw = sample("net-raw");
        tables.parseInet(raw, raw.length, Transport.RAW, 4, rows);
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().sample().local().port()).isEqualTo(1); // raw sockets list the protocol: ICMP
        rows.clear();
        byte[] packet = sample("net-packet");
        tables.parsePacket(packet, packet.length, rows);
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.sample().transport()).isEqualTo(Transport.PACKET);
            assertThat(r.sample().inode()).isEqualTo(79593);
        });
        rows.clear();
        byte[] unix = sample("net-unix");
        tables.parseUnix(unix, unix.length, rows);
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.sample().path()).isEqualTo("/tmp/picket-sample.sock");
            assertThat(r.sample().state()).isEqualTo("LISTEN");
            assertThat(r.sample().direction()).isEqualTo(Direction.LISTEN);
        });
    }

    @Test
    void garbageTablesYieldNoRowsAndNoException() {
        SocketTables tables = new SocketTables(1);
        tables.begin();
        List<SocketTables.Row> rows = new ArrayList<>();
        byte[] junk = "header\n   0: ZZZZ:12 ::: 01\n\n 1: 0100007F:1F40\n   2: 0100007F:1F40 00000000:0000 0A 0:0 0:0 0 0 0\n"
                .getBytes();
        tables.parseInet(junk, junk.length, Transport.TCP, 4, rows);
        tables.parseUnix(junk, junk.length, rows);
        tables.parsePacket(junk, junk.length, rows);
        assertThat(rows).allMatch(r -> r.sample() != null);
    }

    @Test
    void socketInodeFromFdLink() {
        assertThat(ProcScanner.socketInode("socket:[12345]")).isEqualTo(12345);
        assertThat(ProcScanner.socketInode("pipe:[12345]")).isZero();
        assertThat(ProcScanner.socketInode("socket:[x]")).isZero();
        assertThat(ProcScanner.socketInode("/dev/null")).isZero();
    }
}
