package dev.picket.hardening.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@code /proc/PID/net/unix} on any bytes: never throws, socket paths (chosen by whoever binds them) are safe to
 * log, and a second scan sees what a fresh parse sees. Seeds: {@code proc-samples/net-unix} and a table with
 * abstract and hostile paths.
 */
class UnixTableFuzzTest {

    @FuzzTest
    void unix(byte[] data) {
        Tables.twoScans("unix", data, t -> t.unix(data, data.length));
    }
}
