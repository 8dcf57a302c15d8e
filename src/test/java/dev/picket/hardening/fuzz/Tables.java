package dev.picket.hardening.fuzz;

import dev.picket.observe.SocketSample;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Checks shared by the socket-table targets. */
final class Tables {

    private Tables() {
    }

    /**
     * Parses the same table twice, as two scans of a steady namespace: the second scan reuses the rows whose bytes
     * did not change, and must see exactly what a fresh parse sees. At most one row per line.
     */
    static List<SocketSample> twoScans(String what, byte[] data, Function<ProcParsers.Tables, List<SocketSample>> parse) {
        ProcParsers.Tables tables = new ProcParsers.Tables();
        List<SocketSample> first = parse.apply(tables);
        List<SocketSample> second = parse.apply(tables);
        List<SocketSample> fresh = parse.apply(new ProcParsers.Tables());
        int lines = 1;
        for (byte b : data) {
            if (b == '\n') {
                lines++;
            }
        }
        if (first.size() > lines) {
            throw new AssertionError(what + ": " + first.size() + " rows from " + lines + " lines");
        }
        for (SocketSample s : first) {
            if (s == null || s.transport() == null || s.state() == null) {
                throw new AssertionError(what + ": incomplete row " + s);
            }
            if (s.path() != null) {
                Invariants.noControlCharacters(what + " path", s.path());
                Invariants.bounded(what + " path", s.path(), data.length);
            }
        }
        if (!first.equals(fresh)) {
            throw new AssertionError(what + ": parsing is not deterministic:\n" + first + "\n" + fresh);
        }
        // the kernel never lists one inode twice in a table; where the input does, reuse may pick either row
        if (uniqueInodes(first) && !second.equals(first)) {
            throw new AssertionError(what + ": the second scan sees " + second + "\nwhere a fresh parse sees " + first);
        }
        return first;
    }

    private static boolean uniqueInodes(List<SocketSample> samples) {
        Set<Long> seen = new HashSet<>();
        for (SocketSample s : samples) {
            if (s.inode() != 0 && !seen.add(s.inode())) {
                return false;
            }
        }
        return true;
    }
}
