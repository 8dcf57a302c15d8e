package dev.picket.observe;

import java.util.List;

/**
 * A container runtime's API socket found inside a watched mount namespace. Whoever can reach it controls
 * every container of the node. The client end of a unix connection carries no path in /proc, so
 * reachability, not the connection, is what a scan can prove.
 */
public record RuntimeSocket(String path, long mntNamespace, int seenThroughPid) {

    /** Where containerd, CRI-O, Docker, cri-dockerd, Podman and k3s put their sockets. */
    public static final List<String> KNOWN_PATHS = List.of(
            "/run/containerd/containerd.sock",
            "/var/run/containerd/containerd.sock",
            "/run/k3s/containerd/containerd.sock",
            "/var/snap/microk8s/common/run/containerd.sock",
            "/run/crio/crio.sock",
            "/var/run/crio/crio.sock",
            "/run/docker.sock",
            "/var/run/docker.sock",
            "/run/cri-dockerd.sock",
            "/var/run/cri-dockerd.sock",
            "/run/podman/podman.sock");
}
