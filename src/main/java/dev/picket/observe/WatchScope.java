package dev.picket.observe;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** Which processes a scan covers, in words a person can check. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WatchScope(Kind kind, Integer rootPid, String command, Integer selfPid, List<Integer> excludedAncestors,
        String description) {

    public enum Kind {
        /** Every process of Picket's PID namespace except Picket, its ancestors and its children. */
        POD,
        /** A process and its descendants. */
        ROOT_PID,
        /** A command Picket started, and its descendants. */
        COMMAND
    }
}
