package dev.picket.kube;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the kube package keeps in the state directory, read by tests. */
final class KubeStateFiles {

    private KubeStateFiles() {
    }

    /** Whether Picket has seen its quarantine label on the pod (the marker next to quarantine.json). */
    static boolean labelSeen(Path stateDir) {
        return Files.exists(stateDir.resolve(QuarantineLabel.MARKER));
    }
}
