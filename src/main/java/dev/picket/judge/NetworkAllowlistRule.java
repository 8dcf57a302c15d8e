package dev.picket.judge;

import dev.picket.observe.ProcessSample;
import dev.picket.observe.SocketSample;
import dev.picket.observe.Snapshot;
import dev.picket.observe.Transport;
import dev.picket.profile.Profile;
import dev.picket.profile.Protocol;
import dev.picket.profile.Severity;
import dev.picket.profile.ViolationKind;

import java.net.InetAddress;
import java.util.List;

/**
 * EGRESS and LISTEN violations. Loopback traffic never leaves the pod and DNS to the cluster resolvers is
 * what every workload does, so neither is egress. A UDP socket bound in the ephemeral port range by a
 * client that sends without connecting is not a server, so it is not judged as a listener.
 */
final class NetworkAllowlistRule implements Rule {

    static final String EGRESS = "egress-not-allowed";
    static final String LISTEN = "listen-not-allowed";

    @Override
    public void evaluate(Snapshot snapshot, Profile profile, Scene scene, List<Finding> out) {
        for (SocketSample s : snapshot.outbound()) {
            if (!judgedEgress(s, scene.context)) {
                continue;
            }
            Protocol proto = protocol(s);
            if (profile.egressAllowed(s.remote().address(), s.remote().port(), proto)) {
                continue;
            }
            ProcessSample owner = scene.process(s.ownerPid());
            String identity = owner != null ? Finding.identityOf(owner) : null;
            out.add(new Finding(ViolationKind.EGRESS, EGRESS, Severity.HIGH, null,
                    "egress|" + (identity != null ? identity : "orphan") + "|" + s.remoteSpec(), identity, owner,
                    s.remoteSpec(), (owner != null ? Describe.process(owner) : "a closed connection (no owner left)")
                            + " connects to " + s.remoteSpec() + " (" + s.state() + "), which no egress entry allows"));
        }
        for (SocketSample s : snapshot.listeners()) {
            Protocol proto = protocol(s);
            if (proto == Protocol.UDP && scene.context.isEphemeral(s.local().port())) {
                continue;
            }
            if (profile.listenAllowed(s.local().port(), proto)) {
                continue;
            }
            ProcessSample owner = scene.process(s.ownerPid());
            String identity = owner != null ? Finding.identityOf(owner) : null;
            String where = s.local().port() + "/" + s.transport().lower();
            out.add(new Finding(ViolationKind.LISTEN, LISTEN, Severity.MEDIUM, null,
                    "listen|" + (identity != null ? identity : "orphan") + "|" + where, identity, owner,
                    s.local() + "/" + s.transport().lower(),
                    (owner != null ? Describe.process(owner) : "an unknown process") + " listens on " + s.local() + "/"
                            + s.transport().lower() + ", which no listen entry allows"));
        }
    }

    /** Outbound traffic that counts as egress: not loopback, not DNS to the cluster resolvers. */
    static boolean judgedEgress(SocketSample s, JudgeContext context) {
        if (s.remote() == null || s.remote().isAny()) {
            return false;
        }
        InetAddress a = s.remote().address();
        if (a.isLoopbackAddress()) {
            return false;
        }
        return !(s.remote().port() == 53 && context.isResolver(a));
    }

    static Protocol protocol(SocketSample s) {
        return s.transport() == Transport.TCP ? Protocol.TCP : s.transport() == Transport.UDP ? Protocol.UDP : Protocol.ANY;
    }
}
