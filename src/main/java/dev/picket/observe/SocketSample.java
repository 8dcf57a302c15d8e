package dev.picket.observe;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One socket of a watched network namespace. {@code ownerPid} is 0 when no watched process holds it
 * (a TIME_WAIT remnant, a process Picket may not inspect, or one outside the scope).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SocketSample(
        Transport transport,
        int family,
        String state,
        Endpoint local,
        Endpoint remote,
        String path,
        long inode,
        int uid,
        long netns,
        Direction direction,
        int ownerPid) {

    SocketSample withOwner(int pid, Direction d) {
        return pid == ownerPid && d == direction ? this
                : new SocketSample(transport, family, state, local, remote, path, inode, uid, netns, d, pid);
    }

    /** {@code ip:port/proto}, the form violations use. */
    public String remoteSpec() {
        return remote == null ? null : remote + "/" + transport.lower();
    }
}
