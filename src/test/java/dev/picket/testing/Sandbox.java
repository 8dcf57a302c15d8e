package dev.picket.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod-like sandbox: a new PID namespace with its own /proc and, optionally, a network namespace with
 * loopback up. The script runs as the namespace's pid 1, like a pod's pause process and its containers.
 */
public final class Sandbox implements AutoCloseable {

    private final Process unshare;
    private final long initPid;

    private Sandbox(Process unshare, long initPid) {
        this.unshare = unshare;
        this.initPid = initPid;
    }

    public static Sandbox start(boolean network, String script) {
        Host.requireRoot();
        Host.requireCommand("unshare");
        List<String> cmd = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child"));
        String body = script;
        if (network) {
            cmd.add("--net");
            body = "ip link set lo up 2>/dev/null || true\n" + script;
        }
        cmd.addAll(List.of("/bin/sh", "-c", body));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (Instant.now().isBefore(deadline)) {
                Path children = Path.of("/proc", Long.toString(p.pid()), "task", Long.toString(p.pid()), "children");
                String c = Files.exists(children) ? Files.readString(children).trim() : "";
                if (!c.isEmpty()) {
                    long init = Long.parseLong(c.split("\\s+")[0]);
                    // wait until the new /proc is mounted inside
                    if (Files.exists(Path.of("/proc", Long.toString(init), "root", "proc", "1", "stat"))) {
                        return new Sandbox(p, init);
                    }
                }
                Thread.sleep(20);
            }
            p.destroyForcibly();
            throw new IllegalStateException("sandbox did not start");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sandbox's procfs as seen from the host, through pid 1's root. */
    public Path procRoot() {
        return Path.of("/proc", Long.toString(initPid), "root", "proc");
    }

    public long initHostPid() {
        return initPid;
    }

    @Override
    public void close() {
        ProcessHandle.of(initPid).ifPresent(h -> {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        });
        unshare.destroyForcibly();
        try {
            unshare.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
