package dev.picket.observe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Reads whole procfs tables (which may be megabytes) into one reused array. */
final class GrowingBuffer {

    /** A socket table larger than this is cut; 64 MiB is ~400 000 TCP sockets. */
    static final int MAX = 64 << 20;

    byte[] bytes = new byte[64 << 10];
    int length;
    boolean cut;

    void readAll(Path path) throws ProcFiles.ReadFailure {
        length = 0;
        cut = false;
        try (FileChannel ch = FileChannel.open(path)) {
            while (true) {
                if (length == bytes.length) {
                    if (bytes.length >= MAX) {
                        cut = true;
                        break;
                    }
                    bytes = java.util.Arrays.copyOf(bytes, Math.min(MAX, bytes.length * 2));
                }
                int n = ch.read(ByteBuffer.wrap(bytes, length, bytes.length - length));
                if (n <= 0) {
                    break;
                }
                length += n;
            }
        } catch (IOException e) {
            throw ProcFiles.classify(e);
        }
    }
}
