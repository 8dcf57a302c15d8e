package dev.picket.judge;

import dev.picket.observe.ProcessSample;
import dev.picket.observe.Snapshot;
import dev.picket.observe.StdioSocket;
import dev.picket.observe.Transport;
import dev.picket.profile.Profile;
import dev.picket.profile.ThreatRule;

import java.util.List;
import java.util.Set;

/**
 * A shell or interpreter whose stdin, stdout or stderr is a network socket: someone is typing into it
 * remotely. One violation per process and executable (an interpreter that execs another is judged again).
 */
final class ReverseShellRule implements Rule {

    /** Programs that execute what they read; matched on the executable's file name. */
    static final Set<String> INTERPRETERS = Set.of("sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "csh", "tcsh",
            "fish", "busybox", "python", "perl", "ruby", "php", "node", "nodejs", "lua", "tclsh", "wish", "nc", "ncat",
            "netcat", "socat", "telnet", "awk", "gawk", "mawk", "openssl", "irb", "jshell", "pwsh", "rc");

    @Override
    public void evaluate(Snapshot snapshot, Profile profile, Scene scene, List<Finding> out) {
        for (ProcessSample p : snapshot.processes()) {
            if (p.stdioSockets().isEmpty() || !isInterpreter(p)) {
                continue;
            }
            for (StdioSocket s : p.stdioSockets()) {
                if (s.socket() == null || (s.socket().transport() != Transport.TCP && s.socket().transport() != Transport.UDP)) {
                    continue;
                }
                String peer = s.socket().remote() != null ? s.socket().remote() + "/" + s.socket().transport().lower() : null;
                out.add(Threats.of(ThreatRule.REVERSE_SHELL, Finding.identityOf(p) + "|" + (p.exe() != null ? p.exe().path() : p.comm()), p, peer,
                        Describe.process(p) + " has its fd " + s.fd() + " on a network socket"
                                + (peer != null ? " to " + peer : "")));
                break;
            }
        }
    }

    static boolean isInterpreter(ProcessSample p) {
        String name = p.exe() != null ? p.exe().path() : p.comm();
        int slash = name.lastIndexOf('/');
        String base = name.substring(slash + 1);
        // python3.11, perl5.36, ruby3.1, lua5.4, php8.2: strip the version
        String stem = base.replaceFirst("[0-9][0-9.]*$", "");
        return INTERPRETERS.contains(base) || INTERPRETERS.contains(stem) || INTERPRETERS.contains(p.comm());
    }
}
