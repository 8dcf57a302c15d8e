package dev.picket.observe;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A standard stream (fd 0, 1 or 2) that is a socket: the mark of a reverse shell. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StdioSocket(int fd, long inode, SocketSample socket) {
}
