package dev.picket.observe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Finds environment variables that change how the dynamic linker loads code. Only their presence is
 * kept: values may hold secrets and never leave this class.
 */
public final class EnvMarkers {

    /** Variables that inject code into every program the process starts. */
    public enum Marker {
        LD_PRELOAD, LD_AUDIT, LD_LIBRARY_PATH, GLIBC_TUNABLES;

        final byte[] prefix = (name() + "=").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Upper bound of bytes scanned, so a process with a huge environment cannot slow the scan. */
    static final int MAX_BYTES = 1 << 20;

    private EnvMarkers() {
    }

    /** Scans /proc/PID/environ, reading at most {@link #MAX_BYTES} through {@code scratch}. */
    static Set<Marker> scan(Path environ, byte[] scratch) throws ProcFiles.ReadFailure {
        Matcher m = new Matcher();
        int total = 0;
        try (FileChannel ch = FileChannel.open(environ)) {
            ByteBuffer bb = ByteBuffer.wrap(scratch);
            while (total < MAX_BYTES) {
                bb.clear();
                int n = ch.read(bb);
                if (n <= 0) {
                    break;
                }
                total += n;
                m.feed(scratch, 0, n);
            }
        } catch (IOException e) {
            throw ProcFiles.classify(e);
        }
        return m.finish();
    }

    /** Scans an environment block already in memory ({@code NAME=value\0...}), at most {@link #MAX_BYTES} of it. */
    static Set<Marker> scan(byte[] b, int from, int to) {
        Matcher m = new Matcher();
        m.feed(b, from, Math.min(to, from + MAX_BYTES));
        return m.finish();
    }

    /**
     * Matches the variables of an environment block fed in pieces of any size: a variable may span two pieces. Only
     * the first bytes of each variable are kept, never a value.
     */
    static final class Matcher {
        private final EnumSet<Marker> found = EnumSet.noneOf(Marker.class);
        private final byte[] head = new byte[32];
        private int headLen;
        private boolean inHead = true;

        void feed(byte[] b, int from, int to) {
            for (int i = from; i < to; i++) {
                byte c = b[i];
                if (c == 0) {
                    match(head, headLen, found);
                    headLen = 0;
                    inHead = true;
                } else if (inHead) {
                    if (headLen < head.length) {
                        head[headLen++] = c;
                    } else {
                        match(head, headLen, found);
                        inHead = false;
                    }
                }
            }
        }

        Set<Marker> finish() {
            if (inHead) {
                match(head, headLen, found);
                inHead = false;
            }
            return found;
        }
    }

    private static void match(byte[] head, int len, Set<Marker> found) {
        for (Marker m : Marker.values()) {
            byte[] p = m.prefix;
            if (len >= p.length && java.util.Arrays.equals(head, 0, p.length, p, 0, p.length)) {
                found.add(m);
            }
        }
    }
}
