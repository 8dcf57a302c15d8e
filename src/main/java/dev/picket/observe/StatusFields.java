package dev.picket.observe;

/** The parts of /proc/PID/status that stat does not carry. */
record StatusFields(Ids uid, Ids gid, int tracerPid, long capEff) {
}
