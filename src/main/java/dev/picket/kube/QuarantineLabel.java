package dev.picket.kube;

import dev.picket.respond.QuarantineRecord;
import dev.picket.respond.StateDir;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The pod label {@code picket.dev/quarantined: "true"} (with the annotation {@code picket.dev/quarantine-reason}):
 * the cluster's record of a quarantine, which NetworkPolicies select and which an operator removes to release
 * the pod. Picket adds it and never removes it.
 * <p>
 * The label and the state file ({@code quarantine.json} in {@code picket.state.dir}) can disagree after a
 * restart of the sidecar, and {@link #decide} settles it with one more fact, kept in a marker file next to
 * the state file: whether Picket has <em>seen</em> the label on this pod (by its uid) while quarantined.
 * <ul>
 * <li>label present, not quarantined: quarantine (restored after a restart, or an operator labelled the pod);</li>
 * <li>label absent, quarantined, label seen before: the operator removed it, release;</li>
 * <li>label absent, quarantined, label never seen: the label was never set (the API server failed, or the
 * sidecar restarted before the retry went through): stay quarantined and set it again. The pod fails closed;
 * an operator releases it by removing the label once it is there.</li>
 * </ul>
 * "Seen" means read from the API server (GET or watch), not "the patch returned": a watch event older than
 * the patch can arrive after it, and must not look like a removal.
 */
final class QuarantineLabel {

    private static final Logger LOG = Logger.getLogger(QuarantineLabel.class);

    static final String LABEL = "picket.dev/quarantined";
    static final String REASON = "picket.dev/quarantine-reason";
    static final String MARKER = "kube-quarantine-label";
    /** Longest reason written into the annotation. */
    static final int MAX_REASON = 512;

    enum Action {
        /** Label and state agree (or neither is set). */
        NOTHING,
        /** The label is there and Picket is not quarantined: quarantine, readiness down. */
        QUARANTINE_FROM_LABEL,
        /** Quarantined and the label is there: remember that it was seen. */
        CONFIRM,
        /** Quarantined, the label was seen before and is gone: an operator released the pod. */
        RELEASE,
        /** Quarantined, the label was never seen: set it (again). */
        PUBLISH
    }

    static Action decide(boolean quarantined, boolean labelPresent, boolean labelSeenBefore) {
        if (labelPresent) {
            return quarantined ? Action.CONFIRM : Action.QUARANTINE_FROM_LABEL;
        }
        if (!quarantined) {
            return Action.NOTHING;
        }
        return labelSeenBefore ? Action.RELEASE : Action.PUBLISH;
    }

    static boolean labelled(Pod p) {
        return p != null && p.getMetadata().getLabels() != null && "true".equals(p.getMetadata().getLabels().get(LABEL));
    }

    static Optional<String> reason(Pod p) {
        return p == null || p.getMetadata().getAnnotations() == null ? Optional.empty()
                : Optional.ofNullable(p.getMetadata().getAnnotations().get(REASON));
    }

    /** The annotation value for a record: its reason on one line, bounded. */
    static String reasonValue(QuarantineRecord r) {
        String s = r.reason() == null ? "quarantined by Picket" : r.reason().replaceAll("\\p{Cntrl}", " ");
        return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON - 1) + "…";
    }

    private final Path stateDir;
    private final PodIdentity pod;

    QuarantineLabel(Path stateDir, PodIdentity pod) {
        this.stateDir = stateDir;
        this.pod = pod;
    }

    /** Adds the label and the reason to the pod (a JSON merge patch: nothing else changes). */
    void set(KubernetesClient client, QuarantineRecord r) {
        String patch = client.getKubernetesSerialization().asJson(Map.of("metadata", Map.of(
                "labels", Map.of(LABEL, "true"),
                "annotations", Map.of(REASON, reasonValue(r)))));
        client.pods().inNamespace(pod.namespace()).withName(pod.name()).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /** Whether the label was seen on this pod (same uid) while quarantined. */
    boolean seenBefore(String podUid) {
        try {
            Path f = stateDir.resolve(MARKER);
            return Files.exists(f) && Files.readString(f, StandardCharsets.UTF_8).trim().equals(String.valueOf(podUid));
        } catch (IOException e) {
            LOG.warnf("cannot read %s: %s; treating the label as never seen (fail closed)", MARKER, e.getMessage());
            return false;
        }
    }

    void markSeen(String podUid) {
        try {
            StateDir.ensure(stateDir);
            Path tmp = stateDir.resolve(MARKER + ".tmp");
            Files.writeString(tmp, String.valueOf(podUid) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, stateDir.resolve(MARKER), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warnf("cannot write %s: %s; after a restart without the label Picket will set it again"
                    + " instead of releasing", MARKER, e.getMessage());
        }
    }

    void clearSeen() {
        try {
            Files.deleteIfExists(stateDir.resolve(MARKER));
        } catch (IOException e) {
            LOG.warnf("cannot remove %s: %s", MARKER, e.getMessage());
        }
    }
}
