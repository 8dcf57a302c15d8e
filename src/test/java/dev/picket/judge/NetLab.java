package dev.picket.judge;

import dev.picket.testing.Children;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A network namespace the test creates, with "remote" addresses on its loopback device so that
 * connections to them stay on this machine, and servers listening on them. The host's network is
 * untouched. Workloads are started inside it with {@code nsenter --net}, which execs the command itself:
 * the pid a test gets is the workload's.
 */
final class NetLab implements AutoCloseable {

    /** An ordinary remote service. */
    static final String REMOTE = "10.1.2.3";
    /** A second remote service, never allowed by the tests' profiles. */
    static final String OTHER = "10.1.2.4";
    /** The cluster DNS resolver the tests configure. */
    static final String RESOLVER = "10.1.2.53";
    /** A Kubernetes API server's service address. */
    static final String KUBE_API = "10.96.0.1";
    static final String METADATA = "169.254.169.254";
    /** Azure's WireServer: a metadata address and, on port 53, the platform's DNS resolver. */
    static final String AZURE_WIRESERVER = "168.63.129.16";
    static final String METADATA_V6 = "fd00:ec2::254";

    private final Children children;
    private final Process holder;
    private final Path dir;
    private int started;

    private NetLab(Children children, Process holder, Path dir) {
        this.children = children;
        this.holder = holder;
        this.dir = dir;
    }

    /**
     * A namespace with every address above on lo, TCP listeners on {@code tcpPorts} on all of them, and a
     * DNS stub on port 53 (UDP and TCP).
     */
    static NetLab start(int... tcpPorts) {
        Tools.requireTools("unshare", "nsenter", "ip");
        Path dir;
        try {
            dir = Files.createTempDirectory("picket-netlab");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> v4 = List.of(REMOTE, OTHER, RESOLVER, KUBE_API, METADATA, AZURE_WIRESERVER);
        StringBuilder setup = new StringBuilder("ip link set lo up");
        for (String a : v4) {
            setup.append(" && ip addr add ").append(a).append("/32 dev lo");
        }
        setup.append(" && ip -6 addr add ").append(METADATA_V6).append("/128 dev lo nodad");
        Children children = new Children();
        Process holder = children.start("unshare", "--net", "/bin/sh", "-c", setup + " && exec sleep 86400.5");
        NetLab lab = new NetLab(children, holder, dir);
        Tools.awaitExec(holder.pid(), Tools.real("sleep"), List.of("sleep", "86400.5"));
        List<String> server = new ArrayList<>(List.of(Tools.PYTHON, Tools.script("servers.py"), dir.resolve("servers-ready").toString()));
        for (int p : tcpPorts) {
            server.add("tcp:" + p);
        }
        server.add("dns:53");
        lab.run(server.toArray(String[]::new));
        Tools.await(Duration.ofSeconds(10), "the lab's servers listen", () -> Files.exists(dir.resolve("servers-ready")));
        return lab;
    }

    /** The namespace as a path nsenter and setns accept. */
    Path netns() {
        return Path.of("/proc", Long.toString(holder.pid()), "ns", "net");
    }

    List<String> enter(String... command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns(), "--"));
        cmd.addAll(List.of(command));
        return cmd;
    }

    /** Starts {@code command} inside the namespace, its output in the lab's directory; killed with the lab. */
    Process run(String... command) {
        Path log = dir.resolve("process-" + (++started) + ".log");
        return children.start(new ProcessBuilder(enter(command)).redirectOutput(log.toFile()));
    }

    /** A {@link Spawner} inside the namespace: the root of a tree to which a test adds clients. */
    Spawner spawner() {
        return Spawner.start("nsenter", "--net=" + netns(), "--");
    }

    /** Starts {@code client.py} as a child of {@code root} and returns its pid once every connection is open. */
    long client(Spawner root, String marker, String... targets) {
        Path ready = dir.resolve("client-" + marker);
        List<String> cmd = new ArrayList<>(List.of(Tools.PYTHON, Tools.script("client.py"), ready.toString()));
        cmd.addAll(List.of(targets));
        cmd.add("--");
        cmd.add(marker);
        long pid = root.spawn(cmd.toArray(String[]::new));
        Tools.await(Duration.ofSeconds(10), "client " + marker + " connected to " + List.of(targets),
                () -> Files.exists(ready) || Tools.exe(pid) == null);
        if (!Files.exists(ready)) {
            throw new AssertionError("client " + marker + " failed to connect to " + List.of(targets));
        }
        return pid;
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        children.close();
        Tools.deleteTree(dir);
    }
}
