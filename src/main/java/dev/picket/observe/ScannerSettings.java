package dev.picket.observe;

import java.nio.file.Path;

/**
 * How a {@link ProcScanner} reads. {@code deepEvery}: a known process whose exec signature did not change
 * re-reads status, namespaces, fd count and I/O every this many scans (staggered by pid), so a steady
 * workload costs one stat read per process per scan.
 */
public record ScannerSettings(
        Path procRoot,
        WatchScope.Kind kind,
        int rootPid,
        String command,
        int maxArgvBytes,
        int deepEvery,
        int maxHandles) {

    public static ScannerSettings pod(Path procRoot) {
        return new ScannerSettings(procRoot, WatchScope.Kind.POD, 0, null, 4096, 5, 8192);
    }

    public static ScannerSettings rootPid(Path procRoot, int pid) {
        return new ScannerSettings(procRoot, WatchScope.Kind.ROOT_PID, pid, null, 4096, 5, 8192);
    }

    public ScannerSettings withDeepEvery(int n) {
        return new ScannerSettings(procRoot, kind, rootPid, command, maxArgvBytes, n, maxHandles);
    }

    public ScannerSettings withMaxArgvBytes(int n) {
        return new ScannerSettings(procRoot, kind, rootPid, command, n, deepEvery, maxHandles);
    }

    public ScannerSettings withMaxHandles(int n) {
        return new ScannerSettings(procRoot, kind, rootPid, command, maxArgvBytes, deepEvery, n);
    }
}
