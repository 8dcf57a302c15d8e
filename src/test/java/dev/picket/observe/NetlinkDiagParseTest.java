package dev.picket.observe;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SocketTables#parseDiag} on netlink batches built byte by byte: a batch that does not add up fails the dump
 * (the scanner then reads procfs) instead of being read past its end or half-trusted, and only messages of the
 * request's sequence number count.
 */
class NetlinkDiagParseTest {

    private static final int SEQ = 0x5eed;

    @Test
    void aWellFormedUnixBatchGivesItsRowAndEndsAtDone() throws Exception {
        List<SocketTables.Row> rows = new ArrayList<>();
        Batch b = new Batch().unixRow(SEQ, 1234, "/run/a.sock").done(SEQ, 0);
        assertThat(parse(b, Transport.UNIX, rows)).isFalse();
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.sample().inode()).isEqualTo(1234);
            assertThat(r.sample().path()).isEqualTo("/run/a.sock");
            assertThat(r.sample().state()).isEqualTo("LISTEN");
        });
    }

    @Test
    void aBatchWithoutDoneAsksForMore() throws Exception {
        List<SocketTables.Row> rows = new ArrayList<>();
        assertThat(parse(new Batch().unixRow(SEQ, 1, "/a"), Transport.UNIX, rows)).isTrue();
        assertThat(rows).hasSize(1);
    }

    @Test
    void messagesOfAnotherSequenceNumberAreIgnored() throws Exception {
        List<SocketTables.Row> rows = new ArrayList<>();
        // a forged DONE and a forged row of another sequence, then the real answer
        Batch b = new Batch().done(SEQ + 1, 0).unixRow(SEQ - 1, 666, "/forged").unixRow(SEQ, 1234, "/run/a.sock")
                .error(SEQ + 7, -1).done(SEQ, 0);
        assertThat(parse(b, Transport.UNIX, rows)).isFalse();
        assertThat(rows).extracting(r -> r.sample().inode()).containsExactly(1234L);
    }

    @Test
    void doneWithANegativeErrnoFailsTheDump() {
        // the kernel ended the dump part-way (e.g. -ENOBUFS): what came before is not the whole table
        Batch b = new Batch().unixRow(SEQ, 1234, "/run/a.sock").done(SEQ, -105);
        assertThatThrownBy(() -> parse(b, Transport.UNIX, new ArrayList<>()))
                .isInstanceOf(NetlinkSockets.DumpFailed.class).hasMessageContaining("105");
    }

    @Test
    void anErrorMessageFailsTheDump() {
        Batch b = new Batch().error(SEQ, -22);
        assertThatThrownBy(() -> parse(b, Transport.UNIX, new ArrayList<>()))
                .isInstanceOf(NetlinkSockets.DumpFailed.class).hasMessage("netlink error 22");
    }

    @Test
    void aHugeMessageLengthFailsInsteadOfWrapping() {
        // 0x7ffffff0: at + msgLen wraps negative for at > 15, so "at + msgLen > len" would let it through
        for (int msgLen : new int[] {0x7ffffff0, 0x7fffffff, 0xfffffff0, 0x80000000, 8}) {
            Batch b = new Batch().unixRow(SEQ, 1, "/a");
            b.buf.putInt(msgLen).putShort((short) 20).putShort((short) 2).putInt(SEQ).putInt(0);
            b.buf.put(new byte[16]);
            assertThatThrownBy(() -> parse(b, Transport.UNIX, new ArrayList<>())).as("msgLen %x", msgLen)
                    .isInstanceOf(NetlinkSockets.DumpFailed.class).hasMessageContaining("malformed netlink message");
        }
    }

    @Test
    void aMessageLongerThanTheBatchFails() {
        Batch b = new Batch().unixRow(SEQ, 1, "/a");
        b.buf.putInt(0, b.buf.position() + 4); // claims 4 bytes more than there are
        assertThatThrownBy(() -> parse(b, Transport.UNIX, new ArrayList<>()))
                .isInstanceOf(NetlinkSockets.DumpFailed.class).hasMessageContaining("malformed netlink message");
    }

    @Test
    void anAttributeShorterThanItsHeaderFails() {
        for (int attrLen : new int[] {0, 1, 3}) {
            Batch b = new Batch().unixMessage(SEQ, 1, attr(attrLen, new byte[4]));
            assertThatThrownBy(() -> parse(b, Transport.UNIX, new ArrayList<>())).as("rta_len %d", attrLen)
                    .isInstanceOf(NetlinkSockets.DumpFailed.class).hasMessageContaining("attribute");
        }
    }

    @Test
    void anAttributePastTheEndOfItsMessageFails() {
        // rta_len 0xfff0 with 8 bytes left in the message; the next message's bytes must not become the name
        Batch b = new Batch().unixMessage(SEQ, 1, attr(0xfff0, "/abc".getBytes(StandardCharsets.US_ASCII)))
                .unixRow(SEQ, 2, "/next").done(SEQ, 0);
        assertThatThrownBy(() -> parse(b, Transport.UNIX, new ArrayList<>()))
                .isInstanceOf(NetlinkSockets.DumpFailed.class).hasMessageContaining("attribute");
    }

    @Test
    void aTruncatedUnixDiagMessageFails() {
        Batch b = new Batch();
        b.header(16 + 8, 20, SEQ).putInt(0x0a010101).putInt(1234); // half a unix_diag_msg
        b.done(SEQ, 0);
        assertThatThrownBy(() -> parse(b, Transport.UNIX, new ArrayList<>()))
                .isInstanceOf(NetlinkSockets.DumpFailed.class).hasMessageContaining("truncated unix_diag_msg");
    }

    @Test
    void aTruncatedInetDiagMessageFails() {
        Batch b = new Batch();
        b.header(16 + 40, 20, SEQ).put(new byte[40]);
        b.done(SEQ, 0);
        assertThatThrownBy(() -> parse(b, Transport.TCP, new ArrayList<>()))
                .isInstanceOf(NetlinkSockets.DumpFailed.class).hasMessageContaining("truncated inet_diag_msg");
    }

    private static boolean parse(Batch b, Transport transport, List<SocketTables.Row> rows) throws NetlinkSockets.DumpFailed {
        SocketTables tables = new SocketTables(1);
        tables.begin();
        byte[] bytes = new byte[b.buf.position()];
        b.buf.get(0, bytes);
        return tables.parseDiag(bytes, bytes.length, SEQ, transport, rows);
    }

    private static byte[] attr(int rtaLen, byte[] payload) {
        ByteBuffer a = ByteBuffer.allocate((4 + payload.length + 3) & ~3).order(ByteOrder.LITTLE_ENDIAN);
        a.putShort((short) rtaLen).putShort((short) 0).put(payload);
        return a.array();
    }

    /** One datagram of netlink messages, little-endian as on the hosts netlink is used on. */
    private static final class Batch {
        final ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

        ByteBuffer header(int len, int type, int seq) {
            return buf.putInt(len).putShort((short) type).putShort((short) 2).putInt(seq).putInt(0);
        }

        /** A listening SOCK_STREAM unix socket named {@code path}. */
        Batch unixRow(int seq, int inode, String path) {
            byte[] name = (path + "\0").getBytes(StandardCharsets.US_ASCII);
            return unixMessage(seq, inode, attr(4 + name.length, name));
        }

        Batch unixMessage(int seq, int inode, byte[] attrs) {
            header(16 + 16 + attrs.length, 20, seq);
            buf.put((byte) 1).put((byte) 1).put((byte) 10).put((byte) 0).putInt(inode).putLong(0);
            buf.put(attrs);
            return this;
        }

        Batch done(int seq, int status) {
            header(20, NetlinkSockets.NLMSG_DONE, seq).putInt(status);
            return this;
        }

        Batch error(int seq, int errno) {
            header(36, NetlinkSockets.NLMSG_ERROR, seq).putInt(errno).put(new byte[16]);
            return this;
        }
    }
}
