package dev.picket.observe;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Scans one process tree from a JVM the test starts as another UID (with the sidecar's capabilities or none),
 * and prints what the scanner saw as {@code key=value} lines. It needs nothing but the scanner's classes, so its
 * classpath is the build's class directories, which that UID can read (the local Maven repository under /root
 * it could not).
 *
 * <p>Scans several times with a deep read on every scan: the first scan reads every fd, the later ones take the
 * cheaper path that counts the fds and resolves only 0-2. The printed process is the last scan's.
 */
public final class OtherUidScanMain {

    public static void main(String[] args) {
        int pid = Integer.parseInt(args[0]);
        try (ProcScanner scanner = new ProcScanner(ScannerSettings.rootPid(Path.of("/proc"), pid).withDeepEvery(1),
                Clock.systemUTC())) {
            Snapshot s = null;
            for (int i = 0; i < 3; i++) {
                s = scanner.scan();
            }
            ProcessSample p = s.processes().stream().filter(x -> x.pid() == pid).findFirst().orElseThrow();
            List<String> stdio = new ArrayList<>();
            for (StdioSocket io : p.stdioSockets()) {
                stdio.add(io.fd() + ":" + io.inode());
            }
            List<String> owners = new ArrayList<>();
            Stream.of(s.listeners(), s.outbound(), s.inbound()).flatMap(List::stream)
                    .forEach(k -> owners.add(k.inode() + ":" + k.ownerPid()));
            System.out.println("uid=" + p.uid().real());
            System.out.println("openFds=" + p.openFds());
            System.out.println("stdio=" + String.join(",", stdio));
            System.out.println("env=" + p.envMarkers().stream().map(Enum::name).sorted().toList());
            System.out.println("unavailable=" + new java.util.TreeMap<>(p.unavailable()));
            System.out.println("owners=" + String.join(",", owners));
            System.out.println("capabilities=" + s.visibility().effectiveCapabilities());
            System.out.println("notes=" + s.visibility().notes());
        }
    }
}
