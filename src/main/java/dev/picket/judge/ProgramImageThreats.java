package dev.picket.judge;

import dev.picket.observe.EnvMarkers;
import dev.picket.observe.ProcessSample;
import dev.picket.observe.Snapshot;
import dev.picket.profile.Profile;
import dev.picket.profile.ThreatRule;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Threats visible in what a process runs: a binary from a writable scratch directory, a fileless or
 * deleted binary, a dynamic-linker injection in its environment or in /etc/ld.so.preload, a mining pool
 * URL in its arguments.
 * Each is one violation per process and executable: keyed by the executable rather than the exec count,
 * which a scan landing in the middle of an exec would count twice.
 */
final class ProgramImageThreats implements Rule {

    /** Directories any process may write, where dropped tools land. */
    static final List<String> WRITABLE_DIRS = List.of("/tmp/", "/var/tmp/", "/dev/shm/", "/run/", "/var/run/",
            "/dev/mqueue/", "/var/lock/", "/run/lock/", "/dev/");
    private static final Pattern STRATUM = Pattern.compile("stratum\\d?\\+(tcp|ssl|tls|udp)://", Pattern.CASE_INSENSITIVE);
    private static final List<EnvMarkers.Marker> INJECTING = List.of(EnvMarkers.Marker.LD_PRELOAD,
            EnvMarkers.Marker.LD_AUDIT, EnvMarkers.Marker.GLIBC_TUNABLES);

    /** The key part that names a process and its image; built only for a finding. */
    private static String image(ProcessSample p) {
        return Finding.identityOf(p) + "|" + (p.exe() != null ? p.exe().raw() : p.comm());
    }

    @Override
    public void evaluate(Snapshot snapshot, Profile profile, Scene scene, List<Finding> out) {
        for (dev.picket.observe.SystemPreload sp : snapshot.systemPreloads()) {
            ProcessSample seen = scene.process(sp.seenThroughPid());
            out.add(Threats.of(ThreatRule.PRELOAD_INJECTION, "ld.so.preload|" + sp.mntNamespace() + "|" + sp.libraries(), seen,
                    null, "/etc/ld.so.preload in the filesystem of " + Describe.process(seen) + " loads " + sp.libraries()
                            + " into every program started there"));
        }
        for (ProcessSample p : snapshot.processes()) {
            if (p.exe() != null) {
                String path = p.exe().path();
                if (p.exe().memfd() || p.exe().deleted()) {
                    out.add(Threats.of(ThreatRule.FILELESS_EXEC, image(p), p, null, Describe.process(p) + " runs from "
                            + (p.exe().memfd() ? "an in-memory file (" + p.exe().raw() + ")"
                                    : "a binary deleted after it started (" + p.exe().raw() + ")")));
                } else {
                    for (String dir : WRITABLE_DIRS) {
                        if (path.startsWith(dir)) {
                            out.add(Threats.of(ThreatRule.EXEC_FROM_WRITABLE_DIR, image(p), p, null,
                                    Describe.process(p) + " executes a file from the writable directory " + dir));
                            break;
                        }
                    }
                }
            }
            for (EnvMarkers.Marker m : INJECTING) {
                if (p.envMarkers().contains(m)) {
                    out.add(Threats.of(ThreatRule.PRELOAD_INJECTION, image(p), p, null,
                            Describe.process(p) + " started with " + m.name() + " set in its environment"));
                    break;
                }
            }
            for (String arg : p.argv().args()) {
                // the pattern needs "://": most arguments are ruled out without running it
                if (arg.contains("://") && STRATUM.matcher(arg).find()) {
                    out.add(Threats.of(ThreatRule.MINING_POOL, "argv|" + image(p), p, null,
                            Describe.process(p) + " has a mining-pool URL in its arguments: "
                                    + arg.substring(0, Math.min(120, arg.length())).toLowerCase(Locale.ROOT)));
                    break;
                }
            }
        }
    }
}
