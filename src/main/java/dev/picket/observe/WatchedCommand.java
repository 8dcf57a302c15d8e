package dev.picket.observe;

import io.quarkus.logging.Log;

import java.io.IOException;
import java.util.Optional;

/**
 * The command Picket starts itself in command mode. Its output goes to Picket's console so a local demo
 * shows both; when Picket stops, the whole tree is stopped with it.
 */
final class WatchedCommand implements AutoCloseable {

    private final Process process;

    private WatchedCommand(Process process) {
        this.process = process;
    }

    static WatchedCommand start(String command) {
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", command).inheritIO().start();
            Log.infof("started watched command (pid %d): %s", p.pid(), command);
            p.onExit().thenAccept(x -> Log.warnf("watched command (pid %d) exited with status %d", x.pid(), x.exitValue()));
            return new WatchedCommand(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start picket.watch.command '" + command + "': " + e.getMessage(), e);
        }
    }

    int pid() {
        return (int) process.pid();
    }

    Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }
}
