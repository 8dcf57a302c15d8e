package dev.picket.observe;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Dumps the TCP and unix sockets of Picket's own network namespace through netlink {@code sock_diag}
 * (NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY), the interface {@code ss} uses. The kernel fills binary
 * {@code inet_diag_msg} records instead of formatting /proc/net/tcp text, which costs it less than half as
 * much per socket (docs/benchmarks.md), and the records need no text parsing. It needs no capability:
 * any process may dump the sockets of its own network namespace.
 *
 * <p>For unix sockets the reason is integrity, not cost: /proc/net/unix prints a socket's name as it is, so
 * a name with a newline adds a row of the binder's choosing (finding F4, docs/hardening.md). A
 * {@code unix_diag_msg} carries the name as a length-delimited attribute, which no byte in it can end early.
 *
 * <p>Only the kernel's answer to this very request counts: each datagram is received with its sender
 * ({@code recvfrom}), and one not from the kernel (nl_pid 0) is dropped, for a process of the pod holding
 * CAP_NET_ADMIN may send to Picket's netlink port (a forged NLMSG_DONE would hide sockets, a forged row would bring
 * back F4); the parser skips messages of another sequence number than the request's.
 *
 * <p>The JDK has no netlink sockets, so this calls libc's socket, send, recvfrom and close through the Foreign
 * Function and Memory API. Where that is unavailable (a native image without foreign-call support, a
 * seccomp profile or sandbox that refuses netlink, a kernel without {@code inet_diag} or {@code unix_diag}),
 * {@link #open()} or a dump fails and the scanner reads /proc/PID/net/tcp, tcp6 and unix as before.
 *
 * <p>Not thread-safe; one instance per scanner.
 */
final class NetlinkSockets {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_UNIX = 1;
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_SOCK_DIAG = 4;
    static final int SOCK_DIAG_BY_FAMILY = 20;
    private static final int NLM_F_REQUEST = 1;
    private static final int NLM_F_DUMP = 0x300;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;
    private static final int IPPROTO_TCP = 6;
    /** nlmsghdr + inet_diag_req_v2. */
    private static final int TCP_REQUEST_LENGTH = 16 + 56;
    /** nlmsghdr + unix_diag_req. */
    private static final int UNIX_REQUEST_LENGTH = 16 + 24;
    /** The name (bound address) of each socket; what /proc/net/unix shows as Path, and no more. */
    private static final int UDIAG_SHOW_NAME = 1;
    /** The kernel fills at most 32 KiB per dump message batch; twice that leaves room. */
    private static final int BUFFER = 64 << 10;

    private static final MethodHandle SOCKET;
    private static final MethodHandle SEND;
    private static final MethodHandle RECVFROM;
    private static final MethodHandle CLOSE;
    /**
     * {@code -Ddev.picket.observe.netlink=false} keeps the scanner on /proc/PID/net/tcp and unix: for comparing the
     * two in the benchmark, and a way out should a kernel answer netlink wrongly.
     */
    static final String ENABLED_PROPERTY = "dev.picket.observe.netlink";
    /** Whether netlink is off by {@link #ENABLED_PROPERTY}, a choice, not a failure. */
    static final boolean CONFIGURED_OFF = "false".equals(System.getProperty(ENABLED_PROPERTY));
    /** Why netlink cannot be used in this JVM, or null when it can. */
    static final String UNAVAILABLE;

    static {
        MethodHandle socket = null;
        MethodHandle send = null;
        MethodHandle recvfrom = null;
        MethodHandle close = null;
        String why = null;
        try {
            if (CONFIGURED_OFF) {
                throw new UnsupportedOperationException(ENABLED_PROPERTY + "=false");
            }
            // A native image needs each descriptor registered at build time
            // (META-INF/native-image/dev.picket/picket-sidecar/reachability-metadata.json); an unregistered one
            // fails here and the scanner stays on procfs.
            if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
                throw new UnsupportedOperationException("big-endian host");
            }
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            socket = linker.downcallHandle(libc.find("socket").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            send = linker.downcallHandle(libc.find("send").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            // ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *src, socklen_t *srclen)
            recvfrom = linker.downcallHandle(libc.find("recvfrom").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            close = linker.downcallHandle(libc.find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        } catch (Throwable t) {
            why = String.valueOf(t);
        }
        SOCKET = socket;
        SEND = send;
        RECVFROM = recvfrom;
        CLOSE = close;
        UNAVAILABLE = why;
    }

    /** Receives the raw reply batches of one dump. */
    interface Batches {
        /**
         * {@code b[0..len)} holds the messages of one datagram from the kernel; only those with sequence number
         * {@code seq} answer this dump. Returns false at NLMSG_DONE.
         */
        boolean accept(byte[] b, int len, int seq) throws DumpFailed;
    }

    /** A dump that could not be completed; the scanner falls back to procfs. */
    static final class DumpFailed extends Exception {
        DumpFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** struct sockaddr_nl: nl_family u16, pad u16, nl_pid u32, nl_groups u32. */
    private static final int SOCKADDR_NL = 12;
    /** Datagrams not from the kernel one dump puts up with before giving up (a flood could stall the dump). */
    static final int MAX_FOREIGN = 64;

    private final MemorySegment buffer;
    /** The sender of a datagram (sockaddr_nl), then its length (socklen_t) at offset 12. */
    private final MemorySegment sender;
    private final MemorySegment senderLength;
    private final byte[] heap = new byte[BUFFER];
    private int sequence = ThreadLocalRandom.current().nextInt();
    /** Datagrams dropped because they did not come from the kernel, over the life of this dumper. */
    int foreignDropped;
    /** Called between the request and the first receive; null but in tests. */
    Probe afterSend;

    /** Sees a dump's socket between its request and its first reply, as only a test needs to. */
    interface Probe {
        void sent(int fd, int seq, int family) throws Exception;
    }

    /**
     * When to ask for one kind of dump again after failures: every scan until {@link #FAILURES} scans in a row
     * failed, then once every {@link #RETRY_SCANS} scans, so a kernel or sandbox that refuses costs little and a
     * passing cause (a flood of foreign datagrams, memory pressure) does not switch netlink off for good.
     */
    static final class Backoff {
        static final int FAILURES = 3;
        static final int RETRY_SCANS = 60;
        private int failures;
        private long resume;

        boolean due(long scan) {
            return failures < FAILURES || scan >= resume;
        }

        void failed(long scan) {
            if (++failures >= FAILURES) {
                resume = scan + RETRY_SCANS;
            }
        }

        void succeeded() {
            failures = 0;
        }

        /** Failed scans in a row; 0 after a success. */
        int failures() {
            return failures;
        }
    }

    private NetlinkSockets() {
        Arena arena = Arena.ofAuto();
        this.buffer = arena.allocate(BUFFER, 8);
        this.sender = arena.allocate(SOCKADDR_NL + 4, 4);
        this.senderLength = sender.asSlice(SOCKADDR_NL);
    }

    /** A dumper, or null when netlink cannot be used in this JVM. */
    static NetlinkSockets open() {
        return UNAVAILABLE == null ? new NetlinkSockets() : null;
    }

    /** Dumps every TCP socket of one address family, in every state, handing each batch to {@code out}. */
    void dumpTcp(int family, Batches out) throws DumpFailed {
        dump(TCP_REQUEST_LENGTH, family, out);
    }

    /** Dumps every unix socket, in every state, with its name, handing each batch to {@code out}. */
    void dumpUnix(Batches out) throws DumpFailed {
        dump(UNIX_REQUEST_LENGTH, AF_UNIX, out);
    }

    private void dump(int requestLength, int family, Batches out) throws DumpFailed {
        int fd;
        try {
            fd = (int) SOCKET.invokeExact(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        } catch (Throwable t) {
            throw new DumpFailed("socket: " + t);
        }
        if (fd < 0) {
            throw new DumpFailed("socket(AF_NETLINK, NETLINK_SOCK_DIAG) failed");
        }
        try {
            int seq = ++sequence; // fresh for each dump, so a late reply to an earlier one cannot count
            buffer.asSlice(0, requestLength).fill((byte) 0);
            // struct nlmsghdr
            buffer.set(ValueLayout.JAVA_INT_UNALIGNED, 0, requestLength);
            buffer.set(ValueLayout.JAVA_SHORT_UNALIGNED, 4, (short) SOCK_DIAG_BY_FAMILY);
            buffer.set(ValueLayout.JAVA_SHORT_UNALIGNED, 6, (short) (NLM_F_REQUEST | NLM_F_DUMP));
            buffer.set(ValueLayout.JAVA_INT_UNALIGNED, 8, seq);
            buffer.set(ValueLayout.JAVA_BYTE, 16, (byte) family);
            if (family == AF_UNIX) {
                // struct unix_diag_req: family, protocol, pad, states (all), ino, show, cookie
                buffer.set(ValueLayout.JAVA_INT_UNALIGNED, 20, -1);
                buffer.set(ValueLayout.JAVA_INT_UNALIGNED, 28, UDIAG_SHOW_NAME);
            } else {
                // struct inet_diag_req_v2: family, protocol, ext, pad, states (all), then a zero inet_diag_sockid
                buffer.set(ValueLayout.JAVA_BYTE, 17, (byte) IPPROTO_TCP);
                buffer.set(ValueLayout.JAVA_INT_UNALIGNED, 20, -1);
            }
            long sent = (long) SEND.invokeExact(fd, buffer, (long) requestLength, 0);
            if (sent != requestLength) {
                throw new DumpFailed("send to netlink failed");
            }
            if (afterSend != null) {
                afterSend.sent(fd, seq, family);
            }
            int foreign = 0;
            while (true) {
                sender.fill((byte) 0);
                senderLength.set(ValueLayout.JAVA_INT_UNALIGNED, 0, SOCKADDR_NL);
                long n = (long) RECVFROM.invokeExact(fd, buffer, (long) BUFFER, 0, sender, senderLength);
                if (n <= 0) {
                    throw new DumpFailed("recv from netlink failed");
                }
                if (!fromKernel()) {
                    // another process's datagram to our port: not part of the answer
                    foreignDropped++;
                    if (++foreign > MAX_FOREIGN) {
                        throw new DumpFailed("more than " + MAX_FOREIGN + " netlink datagrams not from the kernel");
                    }
                    continue;
                }
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, heap, 0, (int) n);
                if (!out.accept(heap, (int) n, seq)) {
                    return;
                }
            }
        } catch (DumpFailed e) {
            throw e;
        } catch (Throwable t) {
            throw new DumpFailed(String.valueOf(t));
        } finally {
            try {
                int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable ignored) {
                // a netlink socket holds nothing that could be lost
            }
        }
    }

    /** Whether the datagram just received came from the kernel: an AF_NETLINK sender with port 0. */
    private boolean fromKernel() {
        return senderLength.get(ValueLayout.JAVA_INT_UNALIGNED, 0) >= SOCKADDR_NL
                && sender.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0) == AF_NETLINK
                && sender.get(ValueLayout.JAVA_INT_UNALIGNED, 4) == 0;
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    static int u32(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    /** A port: network byte order. */
    static int be16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }
}
