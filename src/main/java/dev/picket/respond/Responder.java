package dev.picket.respond;

import dev.picket.observe.Snapshot;
import dev.picket.profile.ActionType;
import dev.picket.verdict.Violation;

/** Carries out an enforced action and says what became of it. */
public interface Responder {

    /**
     * Acts on {@code violation} in enforce mode. Never throws: a failure is returned as a
     * {@code *_FAILED} action with the reason.
     *
     * @param snapshot the scan the violation came from: the watch scope and the process tree at that time
     */
    Violation act(Violation violation, ActionType action, Snapshot snapshot);
}
