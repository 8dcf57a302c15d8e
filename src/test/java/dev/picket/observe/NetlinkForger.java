package dev.picket.observe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A process of the pod holding CAP_NET_ADMIN that sends datagrams to Picket's netlink port from a netlink socket of
 * its own (python3): each is a forged unix_diag row for {@link #FORGED_PATH} (inode {@link #FORGED_INODE}), then a
 * forged NLMSG_DONE, both with the sequence number of Picket's request, as an attacker could guess or try. Only the
 * sender address (not the kernel's port 0) tells them apart from the kernel's answer.
 */
final class NetlinkForger implements AutoCloseable {

    static final String FORGED_PATH = "/run/forged-by-netlink.sock";
    static final long FORGED_INODE = 0x7ffffff0L;

    private static final String SCRIPT = """
            import socket, struct, sys
            s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4)
            s.bind((0, 0))
            name = sys.argv[1].encode() + b"\\0"
            print("ready", flush=True)
            for line in sys.stdin:
                port, seq, count = (int(x) for x in line.split())
                seq &= 0xffffffff
                # unix_diag_msg: family AF_UNIX, SOCK_STREAM, TCP_LISTEN, pad, inode, cookie; then UNIX_DIAG_NAME
                body = struct.pack("=BBBBIQ", 1, 1, 10, 0, int(sys.argv[2]), 0) + struct.pack("=HH", 4 + len(name), 0) + name
                body += b"\\0" * (-len(body) % 4)
                row = struct.pack("=IHHII", 16 + len(body), 20, 2, seq, port) + body
                done = struct.pack("=IHHIIi", 20, 3, 2, seq, port, 0)
                for _ in range(count):
                    s.sendto(row + done, (port, 0))
                print("sent", flush=True)
            """;

    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    NetlinkForger() throws IOException {
        process = new ProcessBuilder("python3", "-c", SCRIPT, FORGED_PATH, Long.toString(FORGED_INODE))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        expect("ready");
    }

    /** Sends {@code count} forged datagrams to the netlink port of this JVM's socket {@code fd}, and waits. */
    void send(int fd, int seq, int count) throws IOException {
        in.write(portOf(fd) + " " + seq + " " + count + "\n");
        in.flush();
        expect("sent");
    }

    private void expect(String line) throws IOException {
        String got = out.readLine();
        if (!line.equals(got)) {
            throw new IOException("the forger said " + got + " (it needs python3 and CAP_NET_ADMIN)");
        }
    }

    /** The netlink port id (nl_pid) of this JVM's socket {@code fd}, from /proc/self/net/netlink by inode. */
    static long portOf(int fd) throws IOException {
        long inode = ProcScanner.socketInode(Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString());
        List<String> lines = Files.readAllLines(Path.of("/proc/self/net/netlink"));
        for (String l : lines.subList(1, lines.size())) {
            // sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
            String[] f = l.trim().split("\\s+");
            if (f.length >= 10 && Long.parseLong(f[f.length - 1]) == inode) {
                return Long.parseLong(f[2]);
            }
        }
        throw new IOException("netlink socket of fd " + fd + " (inode " + inode + ") not in /proc/self/net/netlink");
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
