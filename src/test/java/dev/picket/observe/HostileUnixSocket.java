package dev.picket.observe;

import dev.picket.testing.Children;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child process (python3: the JDK cannot bind abstract names) listening on a unix socket whose abstract name
 * holds a newline and, after it, a whole /proc/net/unix row: a listening containerd socket carrying the inode of
 * this very socket. Read from /proc/net/unix, the kernel's text makes that a second row, and one whose inode a
 * watched process holds, so the scanner would give the forged row an owner.
 */
public final class HostileUnixSocket {

    public static final String FORGED_PATH = "/run/containerd/containerd.sock";

    private static final String SCRIPT = """
            import os, socket, sys, time
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            ino = os.fstat(s.fileno()).st_ino
            s.bind(b"\\0x\\n0000000000000000: 00000002 00000000 00010000 0001 01 %d %s" % (ino, sys.argv[2].encode()))
            s.listen(1)
            with open(sys.argv[1] + ".tmp", "w") as f:
                f.write(str(ino))
            os.rename(sys.argv[1] + ".tmp", sys.argv[1])
            time.sleep(600)
            """;

    public final Process process;
    public final long inode;

    private HostileUnixSocket(Process process, long inode) {
        this.process = process;
        this.inode = inode;
    }

    /** Starts the child under {@code children} (which kills it) and waits until its socket is bound. */
    public static HostileUnixSocket start(Children children, Path dir) throws IOException, InterruptedException {
        Path ready = dir.resolve("hostile-unix-inode");
        Process p = children.start("python3", "-c", SCRIPT, ready.toString(), FORGED_PATH);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(ready)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("python3 did not bind the hostile name (exit "
                        + (p.isAlive() ? "none, timed out" : p.exitValue()) + ")");
            }
            Thread.sleep(20);
        }
        return new HostileUnixSocket(p, Long.parseLong(Files.readString(ready).trim()));
    }

    /** The name as Picket must show it: the one row's path, the newline escaped. */
    public String escapedName() {
        return "@x\\x0a0000000000000000: 00000002 00000000 00010000 0001 01 " + inode + " " + FORGED_PATH;
    }
}
