package dev.picket.judge;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What the judge knows of the pod besides a snapshot, fixed at start: the cluster resolvers (DNS to them
 * is never egress), the Kubernetes API server the workload could talk to, and the ephemeral port range
 * (a UDP socket bound there by a client is not a server).
 */
public record JudgeContext(List<InetAddress> resolvers, Optional<InetAddress> kubeApiHost, int kubeApiPort,
        int ephemeralLow, int ephemeralHigh) {

    public static final JudgeContext NONE = new JudgeContext(List.of(), Optional.empty(), 0, 32768, 60999);

    public boolean isResolver(InetAddress a) {
        return resolvers.contains(a);
    }

    public boolean isEphemeral(int port) {
        return port >= ephemeralLow && port <= ephemeralHigh;
    }
}
