package dev.picket.observe;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The scanner's memory of one process between scans; mutable and private to the scanner. */
final class TrackedProcess {

    final int pid;
    final long startTicks;
    final Instant firstSeen;
    FileChannel statChannel;
    StatFields stat;
    /** The bytes {@link #stat} was parsed from, to skip parsing an unchanged stat. */
    byte[] statBytes;
    /** The last scan's sample and the stat it was built from, handed out again while nothing changed. */
    ProcessSample lastSample;
    StatFields lastSampleStat;
    long execSignature;
    boolean inScope;
    boolean detailed;

    StatusFields status;
    Executable exe;
    Argv argv = Argv.EMPTY;
    Set<EnvMarkers.Marker> envMarkers = Set.of();
    Namespaces namespaces = Namespaces.UNKNOWN;
    int openFds = -1;
    long[] socketInodes = new long[0];
    long[] stdioInodes = {0, 0, 0};
    long readBytes = -1;
    long writeBytes = -1;
    long execCount;
    /** Neither /proc/PID/fd nor /proc/PID/fdinfo can be read (no ptrace access): fds are not tried again. */
    boolean fdsDenied;
    /**
     * /proc/PID/fd was denied (another UID, no CAP_DAC_READ_SEARCH): fds are read through fdinfo directly, without
     * failing on the fd directory first. Cleared on exec, which may change the owner.
     */
    boolean fdDirDenied;
    long lastSocketFoundScan;
    /** The scan in which all fd links were last resolved, so an owner search does not repeat it. */
    long fdsReadScan = -1;
    final Map<String, String> unavailable = new HashMap<>();

    long lastCpuTicks = -1;
    long lastCpuNanos;
    double cpuCores;

    TrackedProcess(int pid, long startTicks, Instant firstSeen) {
        this.pid = pid;
        this.startTicks = startTicks;
        this.firstSeen = firstSeen;
    }

    void close() {
        if (statChannel != null) {
            try {
                statChannel.close();
            } catch (IOException ignored) {
                // closing a procfs handle cannot lose data
            }
            statChannel = null;
        }
    }
}
