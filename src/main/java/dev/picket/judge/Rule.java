package dev.picket.judge;

import dev.picket.observe.Snapshot;
import dev.picket.profile.Profile;

import java.util.List;

/** One check over a snapshot. Rules do no I/O and read no clock: time comes from the snapshot. */
interface Rule {

    void evaluate(Snapshot snapshot, Profile profile, Scene scene, List<Finding> out);
}
