package dev.picket.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a path inside another process's root (/proc/PID/root). The kernel resolves an absolute
 * symlink met on that walk against the caller's root, not the target's: /var/run pointing to /run would
 * lead into Picket's own filesystem. So the walk is done here, one component at a time, restarting an
 * absolute link target at the process's root.
 */
final class RootedPath {

    /** Linux's own limit on symlinks followed in one lookup. */
    static final int MAX_LINKS = 40;

    private RootedPath() {
    }

    /** Whether {@code absolute} exists in the filesystem whose root is {@code root}. */
    static boolean exists(Path root, String absolute) {
        Path p = resolve(root, absolute);
        return p != null && Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    /** The path under {@code root} that {@code absolute} names there, every link resolved; null if it cannot be. */
    static Path resolve(Path root, String absolute) {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, absolute);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            done.addLast(part);
            Path here = join(root, done);
            if (!Files.isSymbolicLink(here)) {
                continue;
            }
            if (++links > MAX_LINKS) {
                return null;
            }
            String target;
            try {
                target = Files.readSymbolicLink(here).toString();
            } catch (IOException e) {
                return null;
            }
            done.removeLast();
            if (target.startsWith("/")) {
                done.clear();
            }
            push(todo, target);
        }
        return join(root, done);
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.push(parts[i]);
        }
    }

    private static Path join(Path root, Deque<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }
}
