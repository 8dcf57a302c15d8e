package dev.picket.judge;

import dev.picket.observe.Ids;
import dev.picket.observe.Namespaces;
import dev.picket.observe.ProcessSample;
import dev.picket.observe.SocketSample;
import dev.picket.observe.Snapshot;
import dev.picket.profile.Profile;
import dev.picket.profile.ThreatRule;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Threats in how processes are set up: a namespace of their own (escape attempts, hiding), a tracer
 * (injection), a uid that changes during their life (escalation), raw or packet sockets (sniffing).
 */
final class ProcessStateThreats implements Rule {

    /** A process for the life of its pid, as {@link Finding#identityOf} names it, without building the text. */
    private record Identity(int pid, long startTicks) {
    }

    /** The uids each process had when first seen, by identity. */
    private final Map<Identity, Ids> firstUids = new HashMap<>();

    @Override
    public void evaluate(Snapshot snapshot, Profile profile, Scene scene, List<Finding> out) {
        Set<Identity> alive = new HashSet<>(snapshot.processes().size() * 2);
        for (ProcessSample p : snapshot.processes()) {
            Identity identity = new Identity(p.pid(), p.startTicks());
            alive.add(identity);
            namespaces(p, scene, snapshot.picketNamespaces(), out);
            if (p.tracerPid() != 0) {
                ProcessSample tracer = scene.process(p.tracerPid());
                out.add(Threats.of(ThreatRule.PTRACE_ATTACHED, Finding.identityOf(p) + "|" + p.tracerPid(), p, null,
                        Describe.process(p) + " is traced by " + (tracer != null ? Describe.process(tracer)
                                : "pid " + p.tracerPid() + " (outside the watched scope)")));
            }
            privilege(p, identity, out);
        }
        firstUids.keySet().retainAll(alive);
        for (SocketSample s : snapshot.raw()) {
            ProcessSample owner = scene.process(s.ownerPid());
            out.add(Threats.of(ThreatRule.PACKET_SOCKET, "inode|" + s.inode(), owner, null,
                    (owner != null ? Describe.process(owner) : "a process Picket cannot attribute") + " holds a "
                            + s.transport().lower() + " socket (" + s.state() + "), which can read or forge any traffic"));
        }
    }

    private void privilege(ProcessSample p, Identity identity, List<Finding> out) {
        if (p.uid().effective() < 0) {
            return;
        }
        Ids first = firstUids.putIfAbsent(identity, p.uid());
        if (first == null || first.effective() < 0) {
            if (first != null) {
                firstUids.put(identity, p.uid());
            }
            return;
        }
        Ids now = p.uid();
        // a gain is the threat; dropping root (gosu, su-exec, nginx workers) is what well-built images do
        boolean turnedRoot = !first.anyRoot() && now.anyRoot();
        boolean changed = !first.anyRoot() && !now.anyRoot()
                && (first.effective() != now.effective() || first.real() != now.real());
        if (turnedRoot || changed) {
            out.add(Threats.of(ThreatRule.PRIVILEGE_CHANGE, Finding.identityOf(p), p, null, Describe.process(p)
                    + (turnedRoot ? " turned root" : " changed its uid") + " during its life: uids " + first.real() + "/"
                    + first.effective() + " then " + now.real() + "/" + now.effective() + " (real/effective)"));
        }
    }

    /**
     * A process whose user, network or mount namespace differs from its parent's (or, for a container's
     * first process, whose user or network namespace differs from the pod's, which Picket shares).
     */
    private static void namespaces(ProcessSample p, Scene scene, Namespaces pod, List<Finding> out) {
        Namespaces ns = p.namespaces();
        if (ns == null || ns.net() == 0) {
            return;
        }
        ProcessSample parent = scene.process(p.ppid());
        StringBuilder own = new StringBuilder();
        if (parent != null && parent.namespaces() != null && parent.namespaces().net() != 0) {
            Namespaces pn = parent.namespaces();
            append(own, "user", ns.user(), pn.user());
            append(own, "network", ns.net(), pn.net());
            append(own, "mount", ns.mnt(), pn.mnt());
        } else if (pod != null && pod.net() != 0) {
            append(own, "user", ns.user(), pod.user());
            append(own, "network", ns.net(), pod.net());
        }
        if (!own.isEmpty()) {
            out.add(Threats.of(ThreatRule.NAMESPACE_CHANGE, Finding.identityOf(p) + "|" + ns.user() + "/" + ns.net() + "/"
                    + ns.mnt(), p, null, Describe.process(p) + " runs in a " + own + " namespace of its own"));
        }
    }

    private static void append(StringBuilder sb, String name, long mine, long theirs) {
        if (mine != 0 && theirs != 0 && mine != theirs) {
            sb.append(sb.isEmpty() ? "" : " and ").append(name);
        }
    }
}
