package dev.picket.hardening.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.picket.observe.EnvMarkers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code /proc/PID/environ} through {@code EnvMarkers}, which reads it in chunks and keeps only the presence of
 * the dynamic-linker variables: on any bytes it never throws and finds exactly the variables a plain split on NUL
 * finds (a name split across two reads, or a value that contains a name, must neither hide nor forge a marker).
 * Seeds: environments of real processes with and without {@code LD_PRELOAD}.
 */
class EnvironFuzzTest {

    private static Path file;

    @BeforeAll
    static void file() throws IOException {
        Path shm = Path.of("/dev/shm");
        file = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempFile(shm, "environ", ".fuzz")
                : Files.createTempFile("environ", ".fuzz");
    }

    @AfterAll
    static void remove() throws IOException {
        Files.deleteIfExists(file);
    }

    @FuzzTest
    void environ(byte[] data) throws IOException {
        Files.write(file, data);
        Set<EnvMarkers.Marker> found = ProcParsers.environ(file);
        Set<EnvMarkers.Marker> expected = reference(data);
        if (!found.equals(expected)) {
            throw new AssertionError("found " + found + " where the variables are " + expected + " in "
                    + Invariants.hex(data));
        }
    }

    /** Every NUL-separated entry that starts with NAME= names a marker. */
    static Set<EnvMarkers.Marker> reference(byte[] data) {
        Set<EnvMarkers.Marker> found = EnumSet.noneOf(EnvMarkers.Marker.class);
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || data[i] == 0) {
                for (EnvMarkers.Marker m : EnvMarkers.Marker.values()) {
                    byte[] p = (m.name() + "=").getBytes(StandardCharsets.US_ASCII);
                    if (i - start >= p.length && Arrays.equals(data, start, start + p.length, p, 0, p.length)) {
                        found.add(m);
                    }
                }
                start = i + 1;
            }
        }
        return found;
    }
}
