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
 * cheaper path that counts the fds and resolves only 0-2. The printed process is the last scan's. An optional second
 * argument is the proc root (a fixture tree instead of /proc).
 */
@SuppressWarnings("unchecked")
public final class OtherUidScanMain {

    public static void main(String[] args) throws ReflectiveOperationException {
        int pid = Integer.parseInt(args[0]);
        Path root = Path.of(args.length > 1 ? args[1] : "/proc");
        try (ProcScanner scanner = new ProcScanner(ScannerSettings.rootPid(root, pid).withDeepEvery(1),
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
            // what the scanner remembers of the process: whether it goes to fdinfo without trying /proc/PID/fd
            java.lang.reflect.Field trackedField = ProcScanner.class.getDeclaredField("tracked");
            trackedField.setAccessible(true);
            TrackedProcess t = ((java.util.Map<Integer, TrackedProcess>) trackedField.get(scanner)).get(pid);
            System.out.println("fdDirDenied=" + t.fdDirDenied);
            // the size of a directory this UID cannot list
            System.out.println("fdDirSize=" + ProcFiles.directorySize(root.resolve(Integer.toString(pid)).resolve("fd")));
        }
    }
}
