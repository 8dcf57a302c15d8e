package dev.picket.observe;

/**
 * What one read of /proc/PID/stat gives. The exec signature combines the addresses that a new program
 * image changes (code segment, stack, argv and environment areas), so an exec that keeps the pid and the
 * comm is still noticed without reading anything else.
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
        long execSignature) {

    long cpuTicks() {
        return utimeTicks + stimeTicks;
    }
}
