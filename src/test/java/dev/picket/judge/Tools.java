package dev.picket.judge;

import dev.picket.testing.Host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Programs the tests run, their resolved paths, the workload scripts under {@code judge/}, and waits. */
final class Tools {

    /** The system Python (CI installs it with apt); a version manager's shim would exec through bash first. */
    static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    private Tools() {
    }

    static void requireTools(String... commands) {
        Host.requireRoot();
        Host.requireCommand("python3");
        for (String c : commands) {
            Host.requireCommand(c);
        }
    }

    /** What /proc/PID/exe names for a program started as {@code command}: the path with every link resolved. */
    static String real(String command) {
        try {
            Path p = Path.of(command);
            if (!p.isAbsolute()) {
                for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                    if (Files.isExecutable(Path.of(dir, command))) {
                        p = Path.of(dir, command);
                        break;
                    }
                }
            }
            return p.toRealPath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String python() {
        return real(PYTHON);
    }

    /** A workload script from {@code src/test/resources/judge/}, on disk where the build copied it. */
    static String script(String name) {
        try {
            var url = Tools.class.getClassLoader().getResource("judge/" + name);
            if (url == null) {
                throw new IllegalArgumentException("no test resource judge/" + name);
            }
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} every 20 ms; fails with {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            sleep(20);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The target of /proc/PID/exe, or null while it cannot be read. */
    static String exe(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** A line of /proc/PID/status such as {@code Uid:}, without the key; null when the process is gone. */
    static String status(long pid, String key) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith(key)).findFirst().map(l -> l.substring(key.length()).trim()).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Waits until the process runs {@code exe} (its exec is done), so a scan cannot catch it half-way. */
    static void awaitExe(long pid, String exe) {
        await(Duration.ofSeconds(10), "pid " + pid + " runs " + exe, () -> exe.equals(exe(pid)));
    }

    /** The argv of a process from /proc/PID/cmdline; empty while unreadable or in the middle of an exec. */
    static java.util.List<String> argv(long pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            java.util.List<String> out = new java.util.ArrayList<>();
            int start = 0;
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0) {
                    out.add(new String(b, start, i - start, java.nio.charset.StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return out;
        } catch (IOException e) {
            return java.util.List.of();
        }
    }

    /**
     * Waits until the process runs {@code exe} with {@code argv}: its exec is complete. A scan that lands
     * in the middle of an exec sees the new executable with an empty argv; tests that assert the argv of a
     * violation wait for the exec before their first scan.
     */
    static void awaitExec(long pid, String exe, java.util.List<String> argv) {
        await(Duration.ofSeconds(10), "pid " + pid + " runs " + exe + " " + argv,
                () -> exe.equals(exe(pid)) && argv.equals(argv(pid)));
    }

    /** Deletes a directory the test made, and everything in it; quietly, it is only tidying up. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a file still held by a dying process: left for the system's tmp cleaning
        }
    }

    /** Children of a process as the kernel lists them (the first thread's). */
    static long[] children(long pid) {
        try {
            String c = Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children")).trim();
            return c.isEmpty() ? new long[0] : java.util.Arrays.stream(c.split("\\s+")).mapToLong(Long::parseLong).toArray();
        } catch (IOException e) {
            return new long[0];
        }
    }
}
