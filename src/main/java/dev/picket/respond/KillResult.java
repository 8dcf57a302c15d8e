package dev.picket.respond;

import java.util.List;

/**
 * What a kill did: the processes signalled and, when the target was not signalled, why (refused: outside
 * the scope or protected; gone: exited or its pid now belongs to another process).
 */
public record KillResult(boolean signalled, List<Integer> killed, String reason) {
}
