package dev.picket.hardening.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@code /proc/PID/status} parsing on any bytes never throws: the ids, tracer and capabilities it cannot find
 * stay unknown. Seeds: {@code proc-samples/status-*}.
 */
class StatusFuzzTest {

    @FuzzTest
    void status(byte[] data) {
        String fields = ProcParsers.status(data, data.length);
        if (fields.length() > 400) {
            throw new AssertionError("status fields grew with the input: " + fields.length() + " characters");
        }
    }
}
