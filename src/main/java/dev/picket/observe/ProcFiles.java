package dev.picket.observe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Low-level reads of procfs entries. A process can exit between any two reads, and some entries are
 * readable only with ptrace access, so every failure is classified instead of thrown: a vanished entry
 * is normal, a denied one is reported as missing data.
 */
final class ProcFiles {

    private ProcFiles() {
    }

    /** Why an entry could not be read. */
    enum Failure {
        /** The process exited or the entry does not exist (normal churn). */
        VANISHED,
        /** Not readable with Picket's UID and capabilities (typically needs CAP_SYS_PTRACE). */
        DENIED,
        /** Any other I/O error; kept apart so it is not mistaken for churn. */
        UNREADABLE
    }

    /** A failed read, carried as a value because failures are expected on every scan. */
    static final class ReadFailure extends Exception {
        final Failure failure;

        ReadFailure(Failure failure, String message) {
            super(message, null, false, false);
            this.failure = failure;
        }
    }

    static ReadFailure classify(IOException e) {
        if (e instanceof NoSuchFileException) {
            return new ReadFailure(Failure.VANISHED, e.getMessage());
        }
        if (e instanceof AccessDeniedException) {
            return new ReadFailure(Failure.DENIED, e.getMessage());
        }
        String message = String.valueOf(e.getMessage());
        // procfs answers ESRCH when the task died after the open, ENOENT for a vanished directory
        if (message.contains("No such process") || message.contains("No such file")) {
            return new ReadFailure(Failure.VANISHED, message);
        }
        if (message.contains("Permission denied") || message.contains("Operation not permitted")) {
            return new ReadFailure(Failure.DENIED, message);
        }
        return new ReadFailure(Failure.UNREADABLE, message);
    }

    /**
     * Reads up to {@code buf.length} bytes of a file. Returns the number of bytes read; a result equal to
     * {@code buf.length} means the file may be longer.
     */
    static int read(Path path, byte[] buf) throws ReadFailure {
        try (FileChannel channel = FileChannel.open(path)) {
            return readFully(channel, buf, -1);
        } catch (IOException e) {
            throw classify(e);
        }
    }

    /** Reads from offset 0 of an already open channel: procfs regenerates the content on every such read. */
    static int pread(FileChannel channel, byte[] buf) throws ReadFailure {
        try {
            return readFully(channel, buf, 0);
        } catch (IOException e) {
            throw classify(e);
        }
    }

    /**
     * Reads until the buffer is full or a read comes back short. A procfs file of one record (stat, status,
     * io, cmdline) is generated whole on every read and copied out as far as the buffer allows, so a short
     * read is its end: reading on until a read returns 0 would make the kernel generate it a second time
     * for nothing, which doubled the cost of the per-scan stat reads.
     */
    private static int readFully(FileChannel channel, byte[] buf, long position) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(buf);
        int total = 0;
        while (target.hasRemaining()) {
            int want = target.remaining();
            int n = position >= 0 ? channel.read(target, position + total) : channel.read(target);
            if (n <= 0) {
                break;
            }
            total += n;
            if (n < want) {
                break;
            }
        }
        return total;
    }

    static String readLink(Path path) throws ReadFailure {
        try {
            return Files.readSymbolicLink(path).toString();
        } catch (IOException e) {
            throw classify(e);
        }
    }

    /** The st_size of a directory (for /proc/PID/fd since Linux 6.2: the open fds), or -1 when it cannot be read. */
    static int directorySize(Path dir) {
        try {
            long size = Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class).size();
            return size > Integer.MAX_VALUE ? -1 : (int) size;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Names in a directory; used for fd tables, where the count is what matters. */
    static List<String> list(Path dir) throws ReadFailure {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw classify(e);
        } catch (java.nio.file.DirectoryIteratorException e) {
            throw classify(e.getCause());
        }
        return names;
    }

    /** Parses an unsigned decimal number from ASCII bytes, stopping at the first non-digit. */
    static long parseLong(byte[] b, int from, int to) {
        long v = 0;
        boolean negative = false;
        int i = from;
        if (i < to && b[i] == '-') {
            negative = true;
            i++;
        }
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    static boolean isPid(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
