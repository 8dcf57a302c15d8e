package dev.picket.hardening.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.picket.observe.Transport;

/**
 * {@code /proc/PID/net/{tcp,tcp6,udp,udp6,raw}} on any bytes, read as each of them: never throws, at most one row
 * per line, and a second scan that reuses unchanged rows sees what a fresh parse sees. Seeds:
 * {@code proc-samples/net-{tcp,tcp6,udp,udp6,raw}}.
 */
class InetTableFuzzTest {

    @FuzzTest
    void inet(byte[] data) {
        Tables.twoScans("tcp", data, t -> t.inet(data, data.length, Transport.TCP, 4));
        Tables.twoScans("tcp6", data, t -> t.inet(data, data.length, Transport.TCP, 6));
        Tables.twoScans("udp", data, t -> t.inet(data, data.length, Transport.UDP, 4));
        Tables.twoScans("udp6", data, t -> t.inet(data, data.length, Transport.UDP, 6));
        Tables.twoScans("raw", data, t -> t.inet(data, data.length, Transport.RAW, 4));
    }
}
