package dev.picket.observe;

/**
 * What one read of /proc/PID/stat gives. The exec signature combines the addresses that a new program
 * image changes (code segment, stack, argv and environment areas), so an exec that keeps the pid and the
 * comm is still noticed without reading anything else. {@code envStart} and {@code envEnd} (fields 50 and 51;
 * 48 and 49 bound argv) bound the environment block in the process's memory; the kernel shows them only to a
 * reader with ptrace read access, and 0 otherwise.
 */
record StatFields(
        int pid,
        String comm,
        char state,
        int ppid,
        int ttyNr,
        long utimeTicks,
        long stimeTicks,
        int threads,
        long startTicks,
        long rssPages,
        long execSignature,
        long envStart,
        long envEnd) {

    long cpuTicks() {
        return utimeTicks + stimeTicks;
    }
}
