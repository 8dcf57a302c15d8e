package dev.picket.hardening.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@code /proc/PID/net/packet} on any bytes: never throws, and a second scan sees what a fresh parse sees. Seeds:
 * {@code proc-samples/net-packet}.
 */
class PacketTableFuzzTest {

    @FuzzTest
    void packet(byte[] data) {
        Tables.twoScans("packet", data, t -> t.packet(data, data.length));
    }
}
