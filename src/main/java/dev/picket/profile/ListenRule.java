package dev.picket.profile;

/** A compiled {@code network.listen} entry. */
public record ListenRule(int port, Protocol protocol) {
}
