package dev.picket.observe;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Facts about the machine and Picket's own process, read once at start. */
final class SelfInfo {

    private static final Path SELF = Path.of("/proc/self");
    /** Capability bits that decide what Picket can see and do. */
    private static final String[][] CAPABILITIES = {
        {"2", "CAP_DAC_READ_SEARCH"}, {"5", "CAP_KILL"}, {"19", "CAP_SYS_PTRACE"}, {"21", "CAP_SYS_ADMIN"}
    };

    private SelfInfo() {
    }

    /** The kernel page size, from the first mapping's KernelPageSize (4 KiB or 64 KiB on arm64). */
    static long pageSize() {
        byte[] buf = new byte[8192];
        try {
            int n = ProcFiles.read(SELF.resolve("smaps"), buf);
            String text = new String(buf, 0, n, StandardCharsets.US_ASCII);
            int i = text.indexOf("KernelPageSize:");
            if (i >= 0) {
                int end = text.indexOf('\n', i);
                String v = text.substring(i + 15, end < 0 ? text.length() : end).trim();
                return Long.parseLong(v.replace("kB", "").trim()) * 1024;
            }
        } catch (ProcFiles.ReadFailure | NumberFormatException e) {
            // fall through to the common size
        }
        return 4096;
    }

    /** Boot time in epoch millis from "btime" of {@code root}/stat, or 0 when unknown. */
    static long bootMillis(Path root) {
        byte[] buf = new byte[64 << 10];
        try {
            int n = ProcFiles.read(root.resolve("stat"), buf);
            String text = new String(buf, 0, n, StandardCharsets.US_ASCII);
            int i = text.indexOf("\nbtime ");
            if (i >= 0) {
                int end = text.indexOf('\n', i + 1);
                return Long.parseLong(text.substring(i + 7, end < 0 ? text.length() : end).trim()) * 1000;
            }
        } catch (ProcFiles.ReadFailure | NumberFormatException e) {
            // a fixture tree may have no stat
        }
        return 0;
    }

    static long pidMax(Path root) {
        byte[] buf = new byte[64];
        try {
            int n = ProcFiles.read(root.resolve("sys/kernel/pid_max"), buf);
            long v = ProcFiles.parseLong(buf, 0, n);
            return v > 0 ? v : 4194304;
        } catch (ProcFiles.ReadFailure e) {
            return 4194304;
        }
    }

    /**
     * Picket's pid as the procfs at {@code root} numbers it; -1 when Picket lives outside that PID
     * namespace (then "self" does not resolve there).
     */
    static int selfPidIn(Path root) {
        try {
            String link = ProcFiles.readLink(root.resolve("self"));
            return Integer.parseInt(link);
        } catch (ProcFiles.ReadFailure | NumberFormatException e) {
            return -1;
        }
    }

    static Namespaces namespaces() {
        Path ns = SELF.resolve("ns");
        try {
            return new Namespaces(Namespaces.parse(ProcFiles.readLink(ns.resolve("pid"))),
                    Namespaces.parse(ProcFiles.readLink(ns.resolve("net"))),
                    Namespaces.parse(ProcFiles.readLink(ns.resolve("mnt"))),
                    Namespaces.parse(ProcFiles.readLink(ns.resolve("user"))));
        } catch (ProcFiles.ReadFailure e) {
            return Namespaces.UNKNOWN;
        }
    }

    static List<String> effectiveCapabilities() {
        byte[] buf = new byte[8192];
        List<String> out = new ArrayList<>();
        try {
            int n = ProcFiles.read(SELF.resolve("status"), buf);
            long eff = StatusParser.parse(buf, n).capEff();
            for (String[] c : CAPABILITIES) {
                if ((eff & (1L << Integer.parseInt(c[0]))) != 0) {
                    out.add(c[1]);
                }
            }
        } catch (ProcFiles.ReadFailure e) {
            out.add("unknown");
        }
        return List.copyOf(out);
    }
}
