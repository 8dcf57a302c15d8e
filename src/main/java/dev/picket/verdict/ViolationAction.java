package dev.picket.verdict;

/**
 * What became of a violation. {@code WOULD_*} is shadow enforcement (monitor and learn mode); the
 * {@code *_FAILED} outcomes say that enforcing was attempted and did not take effect (the process had
 * already exited, or it was not Picket's to touch), instead of claiming an action that did not happen.
 */
public enum ViolationAction {
    REPORTED, KILLED, QUARANTINED, WOULD_KILL, WOULD_QUARANTINE, KILL_FAILED, QUARANTINE_FAILED
}
