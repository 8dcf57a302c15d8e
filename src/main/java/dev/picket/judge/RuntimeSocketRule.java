package dev.picket.judge;

import dev.picket.observe.ProcessSample;
import dev.picket.observe.RuntimeSocket;
import dev.picket.observe.SocketSample;
import dev.picket.observe.Snapshot;
import dev.picket.profile.Profile;
import dev.picket.profile.ThreatRule;

import java.util.List;

/**
 * A container runtime's socket inside the neighbour's filesystem, or served in its network namespace:
 * whoever can connect to it controls every container on the node.
 */
final class RuntimeSocketRule implements Rule {

    @Override
    public void evaluate(Snapshot snapshot, Profile profile, Scene scene, List<Finding> out) {
        for (RuntimeSocket r : snapshot.runtimeSockets()) {
            ProcessSample p = scene.process(r.seenThroughPid());
            out.add(Threats.of(ThreatRule.RUNTIME_SOCKET, "mounted|" + r.mntNamespace() + "|" + r.path(), p, null,
                    "the container runtime socket " + r.path() + " is reachable in the filesystem of "
                            + Describe.process(p) + " and its container"));
        }
        for (SocketSample s : snapshot.unix()) {
            // only a socket a watched process holds: /proc/net/unix prints names raw, so a name with a newline
            // can forge a row (inode and all) that no process owns
            if (s.path() != null && s.ownerPid() != 0 && RuntimeSocket.KNOWN_PATHS.contains(s.path())) {
                ProcessSample owner = scene.process(s.ownerPid());
                out.add(Threats.of(ThreatRule.RUNTIME_SOCKET, "served|" + s.inode(), owner, null,
                        "a container runtime socket " + s.path() + " is open in the pod's network namespace, held by "
                                + Describe.process(owner)));
            }
        }
    }
}
