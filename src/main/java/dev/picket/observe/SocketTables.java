package dev.picket.observe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the socket tables of one network namespace: /proc/PID/net/{tcp,tcp6,udp,udp6,raw,raw6,packet,unix},
 * or the same TCP and unix sockets as netlink sock_diag records.
 * Rows of a socket already seen with identical address and state bytes reuse the previous sample, so a
 * steady namespace costs the read and a byte comparison per row, not an object graph.
 */
final class SocketTables {

    private static final String[] TCP_STATES = {
        "UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
        "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"
    };
    static final int TCP_LISTEN = 0x0A;
    static final int TCP_CLOSE = 0x07;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /**
     * A parsed row. The row object lives as long as the socket's bytes do not change, and carries what the
     * scanner resolved about it (owner, whether it is Picket's own, the sample with owner and direction),
     * so a steady socket costs a lookup per scan, not a new resolution.
     */
    static final class Row {
        static final byte UNRESOLVED = 0;
        static final byte OWNED = 1;
        static final byte SELF = 2;
        static final byte FOREIGN = 3;

        final SocketSample sample;
        final int stateCode;
        final byte[] key;
        /** Copies of the sample's fields the scanner reads for every row, kept here so a steady row is one object. */
        final Transport transport;
        final long inode;
        final long netns;
        final int localPort;
        byte origin;
        int owner;
        long foreignSince;
        /** The sample with owner and direction, and the owner and direction it was made for. */
        SocketSample resolved;
        int resolvedOwner;
        Direction resolvedDirection;

        Row(SocketSample sample, int stateCode, byte[] key) {
            this.sample = sample;
            this.stateCode = stateCode;
            this.key = key;
            this.transport = sample.transport();
            this.inode = sample.inode();
            this.netns = sample.netns();
            this.localPort = sample.local() != null ? sample.local().port() : -1;
        }

        SocketSample sample() {
            return sample;
        }

        int stateCode() {
            return stateCode;
        }

        /** A socket whose state changed keeps what was learned about its owner. */
        Row inherit(Row old) {
            if (old != null) {
                origin = old.origin;
                owner = old.owner;
                foreignSince = old.foreignSince;
            }
            return this;
        }
    }

    private final long netns;
    private InodeMap<Row> previous = new InodeMap<>();
    private InodeMap<Row> current = new InodeMap<>();

    SocketTables(long netns) {
        this.netns = netns;
    }

    /** Whether a socket with this inode is in this namespace's tables as of the last parse. */
    boolean contains(long inode) {
        return current.containsKey(inode);
    }

    /** Starts a new scan of this namespace; rows not seen again are forgotten. */
    void begin() {
        InodeMap<Row> swap = previous;
        previous = current;
        current = swap;
        current.clear();
    }

    /** Parses tcp, tcp6, udp, udp6, raw or raw6 content and appends the rows to {@code out}. */
    void parseInet(byte[] b, int len, Transport transport, int family, List<Row> out) {
        int line = nextLine(b, 0, len); // header
        while (line < len) {
            int end = lineEnd(b, line, len);
            Row row = parseInetLine(b, line, end, transport, family);
            if (row != null) {
                out.add(row);
            }
            line = end + 1;
        }
    }

    /** Length of a netlink row's key: the state byte, then ports and addresses of inet_diag_sockid. */
    private static final int DIAG_KEY = 1 + 36;

    /**
     * Parses one batch of a netlink sock_diag dump of {@code transport} (nlmsghdr + inet_diag_msg records for
     * TCP, unix_diag_msg records for UNIX) and appends the rows to {@code out}, like {@link #parseInet} and
     * {@link #parseUnix} do for /proc text. A row whose key bytes did not change since the last scan is reused.
     * Only messages with sequence number {@code seq} count: anything else is not the answer to this dump. Returns
     * false once the dump is done; a message that does not fit, a body too short for its record, an error, or a
     * dump the kernel ended early fail it, so the caller reads procfs instead of trusting a partial table.
     */
    boolean parseDiag(byte[] b, int len, int seq, Transport transport, List<Row> out) throws NetlinkSockets.DumpFailed {
        int at = 0;
        while (len - at >= 16) {
            int msgLen = NetlinkSockets.u32(b, at);
            int type = NetlinkSockets.u16(b, at + 4);
            // as a subtraction: msgLen is a u32 the sender chose, and at + msgLen could wrap past 2^31
            if (msgLen < 16 || msgLen > len - at) {
                throw new NetlinkSockets.DumpFailed("malformed netlink message");
            }
            if (NetlinkSockets.u32(b, at + 8) == seq) {
                if (type == NetlinkSockets.NLMSG_DONE) {
                    // since Linux 4.x the payload is the dump's end status: non-zero when it stopped part-way
                    int status = msgLen >= 20 ? NetlinkSockets.u32(b, at + 16) : 0;
                    if (status != 0) {
                        throw new NetlinkSockets.DumpFailed("netlink dump ended with error " + -status);
                    }
                    return false;
                }
                if (type == NetlinkSockets.NLMSG_ERROR) {
                    int errno = msgLen >= 20 ? -NetlinkSockets.u32(b, at + 16) : 0;
                    throw new NetlinkSockets.DumpFailed("netlink error " + errno);
                }
                if (type == NetlinkSockets.NLMSG_OVERRUN) {
                    throw new NetlinkSockets.DumpFailed("netlink overrun");
                }
                if (type == NetlinkSockets.SOCK_DIAG_BY_FAMILY) {
                    Row row;
                    if (transport == Transport.UNIX) {
                        if (msgLen < 16 + 16) {
                            throw new NetlinkSockets.DumpFailed("truncated unix_diag_msg");
                        }
                        row = parseUnixDiagMessage(b, at + 16, at + msgLen);
                    } else {
                        if (msgLen < 16 + 72) {
                            throw new NetlinkSockets.DumpFailed("truncated inet_diag_msg");
                        }
                        row = parseDiagMessage(b, at + 16, transport);
                    }
                    if (row != null) {
                        out.add(row);
                    }
                }
            }
            at += Math.min((msgLen + 3) & ~3, len - at);
        }
        return true;
    }

    /** struct inet_diag_msg: family, state, timer, retrans, sockid (ports, addresses, if, cookie), expires, queues, uid, inode. */
    private Row parseDiagMessage(byte[] b, int m, Transport transport) {
        int family = b[m] & 0xff;
        int state = b[m + 1] & 0xff;
        long inode = NetlinkSockets.u32(b, m + 68) & 0xffffffffL;
        Row old = inode != 0 ? previous.get(inode) : null;
        if (old != null && old.key.length == DIAG_KEY && old.key[0] == (byte) state
                && Arrays.equals(old.key, 1, DIAG_KEY, b, m + 4, m + 40)) {
            current.put(inode, old);
            return old;
        }
        int addrLen = family == NetlinkSockets.AF_INET ? 4 : 16;
        Endpoint local = endpoint(b, m + 8, addrLen, NetlinkSockets.be16(b, m + 4));
        Endpoint remote = endpoint(b, m + 24, addrLen, NetlinkSockets.be16(b, m + 6));
        if (local == null || remote == null) {
            return null;
        }
        byte[] key = new byte[DIAG_KEY];
        key[0] = (byte) state;
        System.arraycopy(b, m + 4, key, 1, 36);
        String stateName = transport == Transport.TCP
                ? (state < TCP_STATES.length ? TCP_STATES[state] : "UNKNOWN")
                : udpState(state, transport);
        int uid = NetlinkSockets.u32(b, m + 64);
        SocketSample s = new SocketSample(transport, family == NetlinkSockets.AF_INET ? 4 : 6, stateName, local, remote,
                null, inode, uid, netns, Direction.NONE, 0);
        Row row = new Row(s, state, key).inherit(old);
        if (inode != 0) {
            current.put(inode, row);
        }
        return row;
    }

    private static final int UNIX_DIAG_NAME = 0;
    private static final int TCP_ESTABLISHED = 1;
    /** /proc/net/unix St of a socket that has a file: SS_CONNECTED when established, else SS_UNCONNECTED. */
    private static final int SS_UNCONNECTED = 1;
    private static final int SS_CONNECTED = 3;
    /** The name of the row being made, as /proc/net/unix would print it; sun_path is at most 108 bytes. */
    private byte[] unixName = new byte[110];

    /**
     * struct unix_diag_msg: family, type, state, pad, inode, cookie; then rtattrs up to {@code end}. The row
     * carries what {@link #parseUnix} makes of the same socket, so the two sources are interchangeable.
     */
    private Row parseUnixDiagMessage(byte[] b, int m, int end) throws NetlinkSockets.DumpFailed {
        if ((b[m] & 0xff) != NetlinkSockets.AF_UNIX) {
            return null;
        }
        int type = b[m + 1] & 0xff;
        int skState = b[m + 2] & 0xff;
        long inode = NetlinkSockets.u32(b, m + 4) & 0xffffffffL;
        int name = m + 16;
        int nameLen = 0;
        for (int a = m + 16; end - a >= 4; ) {
            int attrLen = NetlinkSockets.u16(b, a);
            if (attrLen < 4 || attrLen > end - a) {
                throw new NetlinkSockets.DumpFailed("malformed unix_diag attribute");
            }
            if ((NetlinkSockets.u16(b, a + 2) & 0x3fff) == UNIX_DIAG_NAME) {
                name = a + 4;
                nameLen = attrLen - 4;
            }
            a += (attrLen + 3) & ~3;
        }
        // key: type, kernel state, then the raw name; a /proc key starts with a hex digit, so the two never match
        Row old = inode != 0 ? previous.get(inode) : null;
        if (old != null && old.transport == Transport.UNIX && old.key.length == 2 + nameLen
                && old.key[0] == (byte) type && old.key[1] == (byte) skState
                && Arrays.equals(old.key, 2, old.key.length, b, name, name + nameLen)) {
            current.put(inode, old);
            return old;
        }
        byte[] key = new byte[2 + nameLen];
        key[0] = (byte) type;
        key[1] = (byte) skState;
        System.arraycopy(b, name, key, 2, nameLen);
        String path = nameLen > 0 ? unixPath(b, name, name + nameLen) : null;
        boolean listening = skState == TCP_LISTEN;
        // /proc/net/unix does not print sock->state: unix_seq_show derives St from sk_state, the field sock_diag
        // gives, as SS_CONNECTED when TCP_ESTABLISHED (for any type: a connected or bound datagram socket shows 03
        // there too, NetlinkUnixSocketsTest) and else SS_UNCONNECTED. sock_diag leaves out sockets without a file
        // (inode 0), so this is never /proc's SS_CONNECTING or SS_DISCONNECTING.
        int st = skState == TCP_ESTABLISHED ? SS_CONNECTED : SS_UNCONNECTED;
        String state = listening ? "LISTEN" : st == SS_CONNECTED ? "CONNECTED" : "UNCONNECTED";
        SocketSample s = new SocketSample(Transport.UNIX, 0, state, null, null, path, inode, 0, netns,
                listening ? Direction.LISTEN : Direction.NONE, 0);
        Row row = new Row(s, st, key).inherit(old);
        putIfInode(inode, row);
        return row;
    }

    /**
     * A sun_path as /proc/net/unix prints it, made safe as {@link #parseUnix} makes it: an abstract name (a
     * leading NUL) as '@' and the rest, a path without its closing NUL, every NUL inside as '@'. The name is
     * length-delimited, so a newline in it is one more escaped byte of this row, not the start of another.
     */
    private String unixPath(byte[] b, int from, int to) {
        if (unixName.length < to - from + 1) {
            unixName = new byte[to - from + 1];
        }
        int n = 0;
        if (b[from] == 0) {
            unixName[n++] = '@';
            from++;
        } else {
            to--;
        }
        for (int i = from; i < to; i++) {
            unixName[n++] = b[i] == 0 ? (byte) '@' : b[i];
        }
        return n > 0 ? SafeText.decode(unixName, 0, n) : null;
    }

    private static Endpoint endpoint(byte[] b, int from, int len, int port) {
        try {
            // getByAddress turns IPv4-mapped IPv6 into Inet4Address and never resolves names
            return new Endpoint(InetAddress.getByAddress(Arrays.copyOfRange(b, from, from + len)), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private Row parseInetLine(byte[] b, int from, int to, Transport transport, int family) {
        int i = skip(b, from, to);
        i = token(b, i, to); // "sl:"
        int localStart = skip(b, i, to);
        int localEnd = token(b, localStart, to);
        int remoteStart = skip(b, localEnd, to);
        int remoteEnd = token(b, remoteStart, to);
        int stStart = skip(b, remoteEnd, to);
        int stEnd = token(b, stStart, to);
        i = stEnd;
        // tx:rx, tr:tm, retrnsmt, uid, timeout, inode
        i = token(b, skip(b, i, to), to);
        i = token(b, skip(b, i, to), to);
        i = token(b, skip(b, i, to), to);
        int uidStart = skip(b, i, to);
        i = token(b, uidStart, to);
        i = token(b, skip(b, i, to), to);
        int inodeStart = skip(b, i, to);
        if (stEnd - stStart != 2 || localEnd <= localStart || inodeStart >= to) {
            return null;
        }
        long inode = ProcFiles.parseLong(b, inodeStart, to);
        int state = hexInt(b, stStart, stEnd);
        Row old = inode != 0 ? previous.get(inode) : null;
        if (old != null && Arrays.equals(old.key, 0, old.key.length, b, localStart, stEnd)) {
            current.put(inode, old);
            return old;
        }
        byte[] key = Arrays.copyOfRange(b, localStart, stEnd);
        Endpoint local = endpoint(b, localStart, localEnd);
        Endpoint remote = endpoint(b, remoteStart, remoteEnd);
        if (local == null || remote == null) {
            return null;
        }
        String stateName = transport == Transport.TCP
                ? (state < TCP_STATES.length ? TCP_STATES[state] : "UNKNOWN")
                : udpState(state, transport);
        int uid = (int) ProcFiles.parseLong(b, uidStart, to);
        SocketSample s = new SocketSample(transport, family, stateName, local, remote, null, inode, uid, netns,
                Direction.NONE, 0);
        Row row = new Row(s, state, key).inherit(old);
        if (inode != 0) {
            current.put(inode, row);
        }
        return row;
    }

    private static String udpState(int state, Transport t) {
        if (t == Transport.RAW) {
            return state == 1 ? "CONNECTED" : "OPEN";
        }
        return state == 1 ? "CONNECTED" : state == TCP_CLOSE ? "BOUND" : "UNKNOWN";
    }

    /** /proc/net/packet: "sk RefCnt Type Proto Iface R Rmem User Inode". */
    void parsePacket(byte[] b, int len, List<Row> out) {
        int line = nextLine(b, 0, len);
        while (line < len) {
            int end = lineEnd(b, line, len);
            int[] f = fields(b, line, end, 9);
            if (f != null) {
                long inode = ProcFiles.parseLong(b, f[8], end);
                Row old = previous.get(inode);
                if (old != null && Arrays.equals(old.key, 0, old.key.length, b, f[2], end)) {
                    putIfInode(inode, old);
                    out.add(old);
                    line = end + 1;
                    continue;
                }
                int uid = (int) ProcFiles.parseLong(b, f[7], end);
                int type = (int) ProcFiles.parseLong(b, f[2], end);
                SocketSample s = new SocketSample(Transport.PACKET, 0, type == 3 ? "RAW" : type == 2 ? "DGRAM" : "TYPE" + type,
                        null, null, null, inode, uid, netns, Direction.NONE, 0);
                Row row = new Row(s, type, Arrays.copyOfRange(b, f[2], end)).inherit(old);
                putIfInode(inode, row);
                out.add(row);
            }
            line = end + 1;
        }
    }

    /** /proc/net/unix: "Num RefCount Protocol Flags Type St Inode Path". */
    void parseUnix(byte[] b, int len, List<Row> out) {
        int line = nextLine(b, 0, len);
        while (line < len) {
            int end = lineEnd(b, line, len);
            int[] f = fields(b, line, end, 7);
            if (f != null) {
                long inodeFirst = ProcFiles.parseLong(b, f[6], end);
                Row old = previous.get(inodeFirst);
                if (old != null && Arrays.equals(old.key, 0, old.key.length, b, f[3], end)) {
                    putIfInode(inodeFirst, old);
                    out.add(old);
                    line = end + 1;
                    continue;
                }
                long flags = hexLong(b, f[3], token(b, f[3], end));
                int st = hexInt(b, f[5], token(b, f[5], end));
                long inode = ProcFiles.parseLong(b, f[6], end);
                int pathStart = skip(b, token(b, f[6], end), end);
                String path = pathStart < end ? SafeText.decode(b, pathStart, end) : null;
                boolean listening = (flags & 0x10000) != 0;
                String state = listening ? "LISTEN" : st == 3 ? "CONNECTED" : st == 1 ? "UNCONNECTED" : "STATE" + st;
                SocketSample s = new SocketSample(Transport.UNIX, 0, state, null, null, path, inode, 0, netns,
                        listening ? Direction.LISTEN : Direction.NONE, 0);
                Row row = new Row(s, st, Arrays.copyOfRange(b, f[3], end)).inherit(old);
                putIfInode(inode, row);
                out.add(row);
            }
            line = end + 1;
        }
    }

    private void putIfInode(long inode, Row row) {
        if (inode != 0) {
            current.put(inode, row);
        }
    }

    private static Endpoint endpoint(byte[] b, int from, int to) {
        int colon = -1;
        for (int i = from; i < to; i++) {
            if (b[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            return null;
        }
        int hexLen = colon - from;
        if (hexLen != 8 && hexLen != 32) {
            return null;
        }
        byte[] addr = new byte[hexLen / 2];
        for (int word = 0; word < hexLen / 8; word++) {
            int v = (int) hexLong(b, from + word * 8, from + word * 8 + 8);
            if (LITTLE_ENDIAN) {
                v = Integer.reverseBytes(v);
            }
            addr[word * 4] = (byte) (v >>> 24);
            addr[word * 4 + 1] = (byte) (v >>> 16);
            addr[word * 4 + 2] = (byte) (v >>> 8);
            addr[word * 4 + 3] = (byte) v;
        }
        try {
            // getByAddress turns IPv4-mapped IPv6 into Inet4Address and never resolves names
            return new Endpoint(InetAddress.getByAddress(addr), hexInt(b, colon + 1, to));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int[] fields(byte[] b, int from, int to, int count) {
        int[] starts = new int[count];
        int i = from;
        for (int k = 0; k < count; k++) {
            i = skip(b, i, to);
            if (i >= to) {
                return null;
            }
            starts[k] = i;
            i = token(b, i, to);
        }
        return starts;
    }

    private static int hexInt(byte[] b, int from, int to) {
        return (int) hexLong(b, from, to);
    }

    private static long hexLong(byte[] b, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                break;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static int skip(byte[] b, int i, int to) {
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int token(byte[] b, int i, int to) {
        while (i < to && b[i] != ' ' && b[i] != '\t') {
            i++;
        }
        return i;
    }

    private static int lineEnd(byte[] b, int from, int len) {
        int i = from;
        while (i < len && b[i] != '\n') {
            i++;
        }
        return i;
    }

    private static int nextLine(byte[] b, int from, int len) {
        return Math.min(len, lineEnd(b, from, len) + 1);
    }
}
