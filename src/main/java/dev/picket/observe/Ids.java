package dev.picket.observe;

/** The four user (or group) ids of a process as /proc/PID/status lists them. */
public record Ids(int real, int effective, int saved, int filesystem) {

    public static final Ids UNKNOWN = new Ids(-1, -1, -1, -1);

    public boolean anyRoot() {
        return real == 0 || effective == 0 || saved == 0 || filesystem == 0;
    }
}
