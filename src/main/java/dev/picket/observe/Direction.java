package dev.picket.observe;

/** How a socket relates to the neighbour: serving, calling out, answering, or neither. */
public enum Direction {
    LISTEN, OUTBOUND, INBOUND, NONE
}
