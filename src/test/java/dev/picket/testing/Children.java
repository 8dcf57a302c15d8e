package dev.picket.testing;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Real child processes started by a test, killed with all their descendants when it ends. */
public final class Children implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();

    public Process start(String... command) {
        return start(new ProcessBuilder(command));
    }

    public Process sh(String script) {
        return start("/bin/sh", "-c", script);
    }

    public Process start(ProcessBuilder builder) {
        try {
            builder.redirectErrorStream(true);
            if (builder.redirectOutput() == ProcessBuilder.Redirect.PIPE) {
                builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            if (builder.redirectInput() == ProcessBuilder.Redirect.PIPE) {
                builder.redirectInput(new File("/dev/null"));
            }
            Process p = builder.start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + builder.command(), e);
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
