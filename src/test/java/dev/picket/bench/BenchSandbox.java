package dev.picket.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod-like sandbox for the benchmark: {@code unshare --pid --fork --mount-proc --net} with loopback up.
 * The script runs as the namespace's pid 1, like a pod's pause process. Programs are started inside with
 * {@code nsenter}, as a container runtime starts containers: their parent is outside the namespace, so
 * Picket in pod mode watches everything in it except itself and its children.
 */
final class BenchSandbox implements AutoCloseable {

    private final Process unshare;
    private final long initPid;
    private final List<Process> entered = new ArrayList<>();

    private BenchSandbox(Process unshare, long initPid) {
        this.unshare = unshare;
        this.initPid = initPid;
    }

    static BenchSandbox start(String script, Path log) throws IOException, InterruptedException {
        List<String> cmd = List.of("unshare", "--pid", "--fork", "--mount-proc", "--net", "--kill-child", "/bin/sh", "-c",
                "ip link set lo up\n" + script);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            Path children = Path.of("/proc", Long.toString(p.pid()), "task", Long.toString(p.pid()), "children");
            String c = Files.exists(children) ? Files.readString(children).trim() : "";
            if (!c.isEmpty()) {
                long init = Long.parseLong(c.split("\\s+")[0]);
                if (Files.exists(Path.of("/proc", Long.toString(init), "root", "proc", "1", "stat"))) {
                    return new BenchSandbox(p, init);
                }
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the sandbox exited at once; see " + log);
            }
            Thread.sleep(20);
        }
        p.destroyForcibly();
        throw new IllegalStateException("the sandbox did not start; see " + log);
    }

    /** Starts {@code command} inside the sandbox's PID, mount and network namespaces. */
    Process enter(List<String> command, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(initPid), "-p", "-m", "-n", "--"));
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        entered.add(p);
        return p;
    }

    /** Runs {@code command} inside and waits for it; fails with the log's tail when it fails. */
    void run(List<String> command, Path log, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = enter(command, log);
        if (!p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException(name(command) + " did not finish within " + timeoutSeconds + " s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(name(command) + " failed with " + p.exitValue() + "; the end of " + log + ":\n"
                    + Bench.tail(log, 15));
        }
    }

    /** The main class (or the program) of a command line, for messages: class paths are long. */
    private static String name(List<String> command) {
        for (String c : command) {
            if (c.startsWith("dev.picket.")) {
                return c;
            }
        }
        return command.getFirst();
    }

    long initPid() {
        return initPid;
    }

    @Override
    public void close() {
        for (Process p : entered) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
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
