package dev.picket.profile;

import java.util.Objects;
import java.util.Optional;

/**
 * A compiled {@code processes.allow} entry: the executable glob and, optionally, the glob the parent's
 * executable must match.
 */
public record ProcessRule(Glob exe, Optional<Glob> parent) {

    public ProcessRule {
        Objects.requireNonNull(exe, "exe");
        Objects.requireNonNull(parent, "parent");
    }

    /**
     * Whether this entry admits {@code exe} started by {@code parentExe}. An entry with a parent glob never
     * admits a process whose parent is unknown (null).
     */
    public boolean matches(String exe, String parentExe) {
        if (!this.exe.matches(exe)) {
            return false;
        }
        return parent.isEmpty() || parentExe != null && parent.get().matches(parentExe);
    }
}
