package dev.picket.respond;

import dev.picket.observe.ProcessSample;
import dev.picket.observe.Snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sends SIGKILL to a watched process, and only to one: never Picket, never pid 1 of its namespace, never
 * an ancestor of Picket, never a process outside the snapshot's watch scope. A pid can be reused between
 * the scan and the kill, so the start time is checked against the scan's before signalling, and the
 * JDK's {@link ProcessHandle#destroyForcibly()} checks it once more right before {@code kill(2)}.
 */
public final class ProcessKiller {

    private final Path procRoot;
    private final long selfPid;
    private final Set<Long> selfAncestors;

    public ProcessKiller(Path procRoot) {
        this.procRoot = procRoot;
        this.selfPid = ProcessHandle.current().pid();
        Set<Long> ancestors = new HashSet<>();
        Optional<ProcessHandle> p = ProcessHandle.current().parent();
        while (p.isPresent() && ancestors.add(p.get().pid())) {
            p = p.get().parent();
        }
        this.selfAncestors = Set.copyOf(ancestors);
    }

    /**
     * Kills {@code pid} (pinned by {@code startTicks}) and, when {@code withDescendants}, every process it
     * spawned: those the scan saw and those started since. The parent goes first so it cannot respawn
     * children that were already collected.
     */
    public KillResult kill(int pid, long startTicks, boolean withDescendants, Snapshot snapshot) {
        String refusal = refusal(pid, snapshot);
        if (refusal != null) {
            return new KillResult(false, List.of(), refusal);
        }
        Map<Integer, Long> targets = new LinkedHashMap<>();
        targets.put(pid, startTicks);
        if (withDescendants) {
            targets.putAll(descendants(pid, snapshot));
        }
        Optional<ProcessHandle> root = ProcessHandle.of(pid);
        if (root.isEmpty()) {
            return new KillResult(false, List.of(), "process " + pid + " has already exited");
        }
        if (withDescendants) {
            // children started after the scan are not in the snapshot; they are the target's all the same
            root.get().descendants().forEach(h -> targets.putIfAbsent((int) h.pid(), -1L));
        }
        List<Integer> killed = new ArrayList<>();
        String rootProblem = null;
        for (Map.Entry<Integer, Long> t : targets.entrySet()) {
            int target = t.getKey();
            if (target == selfPid || target == 1 || selfAncestors.contains((long) target)) {
                continue;
            }
            Optional<ProcessHandle> h = target == pid ? root : ProcessHandle.of(target);
            if (h.isEmpty()) {
                if (target == pid) {
                    rootProblem = "process " + pid + " exited before it could be killed";
                }
                continue;
            }
            long expected = t.getValue();
            if (expected >= 0) {
                long now = startTicks(target);
                if (now != expected) {
                    if (target == pid) {
                        rootProblem = now < 0 ? "process " + pid + " exited before it could be killed"
                                : "pid " + pid + " now belongs to another process (started at tick " + now
                                        + ", expected " + expected + "): not signalled";
                        break;
                    }
                    continue;
                }
            }
            if (h.get().destroyForcibly()) {
                killed.add(target);
            } else if (target == pid) {
                rootProblem = "the kernel refused to signal process " + pid + " (missing CAP_KILL for another UID?)";
            }
        }
        if (!killed.contains(pid)) {
            return new KillResult(false, List.copyOf(killed), rootProblem != null ? rootProblem : "not signalled");
        }
        return new KillResult(true, List.copyOf(killed), null);
    }

    private String refusal(int pid, Snapshot snapshot) {
        if (pid <= 0) {
            return "the violation names no process";
        }
        if (pid == selfPid) {
            return "refusing to kill Picket itself";
        }
        if (pid == 1) {
            return "refusing to kill pid 1 of the namespace";
        }
        if (selfAncestors.contains((long) pid)) {
            return "refusing to kill an ancestor of Picket";
        }
        if (snapshot.process(pid) == null) {
            return "process " + pid + " is outside the watch scope";
        }
        return null;
    }

    private static Map<Integer, Long> descendants(int pid, Snapshot snapshot) {
        Map<Integer, List<ProcessSample>> children = new HashMap<>();
        for (ProcessSample p : snapshot.processes()) {
            children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
        }
        Map<Integer, Long> out = new LinkedHashMap<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(pid));
        while (!queue.isEmpty()) {
            for (ProcessSample c : children.getOrDefault(queue.poll(), List.of())) {
                if (out.putIfAbsent(c.pid(), c.startTicks()) == null) {
                    queue.add(c.pid());
                }
            }
        }
        return out;
    }

    /** The start time in clock ticks of whatever process has {@code pid} now; -1 if none. */
    long startTicks(int pid) {
        try {
            String stat = new String(Files.readAllBytes(procRoot.resolve(Integer.toString(pid)).resolve("stat")),
                    StandardCharsets.ISO_8859_1);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[19]); // field 22 counted from field 3
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
