package dev.picket.judge;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Python process that starts children when the test asks ({@code spawner.py}): the root of a watched
 * tree to which a test adds processes at the moment it chooses, e.g. a second process with the same
 * behaviour as the first. Closing it kills it and all its descendants.
 *
 * <p>The tree is hermetic where the host would leak into the findings: it runs in a mount namespace of
 * its own with empty tmpfs on /run and /var (a CI host's /var/run/docker.sock would otherwise be a
 * runtime-socket finding in every test), and without the dynamic-linker variables a host may set. /var
 * goes too because the scanner resolves the absolute link /var/run -> /run against its own root, not
 * the watched process's, so an empty /run alone would still show the host's socket.
 */
final class Spawner implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    private Spawner(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static Spawner start(String... prefix) {
        List<String> cmd = new java.util.ArrayList<>(List.of(prefix));
        // a checkout or JDK under /var (a Jenkins workspace) must stay visible: then /var stays
        boolean hideVar = java.util.stream.Stream.of(System.getProperty("user.dir"), System.getProperty("java.home"),
                Tools.script("spawner.py"), Tools.python()).noneMatch(p -> p.startsWith("/var/"));
        cmd.addAll(List.of("unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "mount -t tmpfs picket-run /run" + (hideVar ? " && mount -t tmpfs picket-var /var" : "")
                        + " && exec '" + Tools.PYTHON + "' '" + Tools.script("spawner.py") + "'"));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().keySet().removeAll(List.of("LD_PRELOAD", "LD_AUDIT", "GLIBC_TUNABLES"));
            Spawner s = new Spawner(pb.start());
            Tools.awaitExec(s.pid(), Tools.python(), List.of(Tools.PYTHON, Tools.script("spawner.py")));
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Starts {@code argv} as a child and returns its pid once its exec of {@code argv[0]} is complete. */
    long spawn(String... argv) {
        return spawnWithEnv(null, argv);
    }

    /** As {@link #spawn}, with exactly this environment (null: the spawner's). */
    long spawnWithEnv(Map<String, String> env, String... argv) {
        long pid = spawnNoWait(env, argv);
        Tools.awaitExec(pid, Tools.real(argv[0]), List.of(argv));
        return pid;
    }

    /** Starts {@code argv} without waiting for its exec (for programs that exec something else at once). */
    long spawnNoWait(Map<String, String> env, String... argv) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("argv", List.of(argv));
        if (env != null) {
            request.put("env", env);
        }
        try {
            in.write(JSON.writeValueAsString(request) + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new AssertionError("the spawner died starting " + List.of(argv));
            }
            return Long.parseLong(line.trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
