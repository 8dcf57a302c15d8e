package dev.picket.hardening.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@code /proc/PID/stat} parsing on any bytes: a process chooses its comm (16 bytes, any of them, spaces and
 * parentheses included), so the parser must find the fields around it. It either refuses the text with
 * {@link IllegalArgumentException} (the scanner records the process as unreadable) or returns a comm that is safe
 * to log and bounded by the input. Seeds: {@code proc-samples/stat-*} and real stat lines with hostile comms.
 */
class StatFuzzTest {

    @FuzzTest
    void stat(byte[] data) {
        String comm;
        try {
            comm = ProcParsers.statComm(data, data.length);
        } catch (IllegalArgumentException refused) {
            return;
        }
        Invariants.noControlCharacters("comm", comm);
        Invariants.bounded("comm", comm, data.length);
    }
}
