package dev.picket.judge;

import dev.picket.observe.ProcessSample;
import dev.picket.observe.SocketSample;
import dev.picket.observe.Snapshot;
import dev.picket.profile.Profile;
import dev.picket.profile.ThreatRule;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;

/**
 * Threats visible in where the workload connects: a cloud metadata service (credential theft), the
 * Kubernetes API server (discovery, lateral movement), a well-known mining-pool port. Port 53 of a
 * configured resolver is DNS even on a metadata address (Azure resolves names at 168.63.129.16).
 */
final class ConnectionThreats implements Rule {

    /** AWS, GCP, Azure, OCI, OpenStack, DigitalOcean; ECS and EKS Pod Identity; Azure WireServer; Alibaba. */
    static final Set<InetAddress> METADATA = Set.of(ip("169.254.169.254"), ip("169.254.170.2"), ip("169.254.170.23"),
            ip("fd00:ec2::254"), ip("fd00:ec2::23"), ip("168.63.129.16"), ip("100.100.100.200"));
    /** Stratum ports that mining pools publish; application ports such as 8080 or 9000 are left out. */
    static final Set<Integer> MINING_PORTS = Set.of(3333, 4444, 5555, 6666, 7777, 14433, 14444, 45560, 45700);

    @Override
    public void evaluate(Snapshot snapshot, Profile profile, Scene scene, List<Finding> out) {
        InetAddress kubeApi = scene.context.kubeApiHost().orElse(null);
        for (SocketSample s : snapshot.outbound()) {
            if (s.remote() == null || s.remote().isAny()) {
                continue;
            }
            // decide first, describe only what is found: a pod holds thousands of connections and finds none
            InetAddress a = s.remote().address();
            int port = s.remote().port();
            // Azure's 168.63.129.16 is also the platform resolver (dnsPolicy: Default): a lookup is DNS
            boolean metadata = METADATA.contains(a) && !(port == 53 && scene.context.isResolver(a));
            boolean kube = kubeApi != null && kubeApi.equals(a) && port == scene.context.kubeApiPort();
            boolean mining = MINING_PORTS.contains(port) && !a.isLoopbackAddress();
            if (!metadata && !kube && !mining) {
                continue;
            }
            ProcessSample owner = scene.process(s.ownerPid());
            String who = owner != null ? Describe.process(owner) : "a closed connection (no owner left)";
            String key = (owner != null ? Finding.identityOf(owner) : "orphan") + "|" + s.remoteSpec();
            if (metadata) {
                out.add(Threats.of(ThreatRule.CLOUD_METADATA, key, owner, s.remoteSpec(),
                        who + " contacts the cloud metadata service at " + s.remoteSpec()));
            }
            if (kube) {
                out.add(Threats.of(ThreatRule.KUBE_API_CONTACT, key, owner, s.remoteSpec(),
                        who + " talks to the Kubernetes API server at " + s.remoteSpec()));
            }
            if (mining) {
                out.add(Threats.of(ThreatRule.MINING_POOL, "port|" + key, owner, s.remoteSpec(),
                        who + " connects to " + s.remoteSpec() + ", a port mining pools use"));
            }
        }
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(literal, e);
        }
    }
}
