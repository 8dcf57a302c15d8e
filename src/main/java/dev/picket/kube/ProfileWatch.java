package dev.picket.kube;

import dev.picket.profile.ActiveProfile;
import dev.picket.profile.Profile;
import dev.picket.profile.Validated;
import dev.picket.profile.ValidationProblem;
import dev.picket.profile.WorkloadProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Keeps the active profile equal to the WorkloadProfile that governs the pod ({@link ProfileSelection}). An
 * informer on WorkloadProfiles of the pod's namespace (list and watch, re-listing by itself after failures)
 * feeds every change here, as do changes of the pod's labels and annotations. A new or changed profile
 * (by uid and {@code metadata.generation}; status writes do not count) goes through
 * {@link ActiveProfile#install}: the same validation as a file. Refused, it becomes an Event
 * {@code PicketProfileRejected} and the status condition {@code Accepted=False}, and the last good profile stays.
 * Until a profile arrives, and when none applies, the active one stays (the embedded default at start).
 */
final class ProfileWatch {

    private static final Logger LOG = Logger.getLogger(ProfileWatch.class);
    static final String ANNOTATION = "picket.dev/profile";

    private final KubernetesClient client;
    private final PodIdentity pod;
    private final ActiveProfile active;
    private final OwnPod ownPod;
    private final PodEvents events;
    private final StatusReporter status;
    private SharedIndexInformer<WorkloadProfile> informer;

    private String appliedKey;
    private String lastReason;
    private String lastAmbiguity;
    private volatile boolean resolved;

    ProfileWatch(KubernetesClient client, PodIdentity pod, ActiveProfile active, OwnPod ownPod, PodEvents events,
            StatusReporter status) {
        this.client = client;
        this.pod = pod;
        this.active = active;
        this.ownPod = ownPod;
        this.events = events;
        this.status = status;
    }

    void start() {
        informer = client.resources(WorkloadProfile.class).inNamespace(pod.namespace()).runnableInformer(0);
        informer.exceptionHandler((started, t) -> {
            LOG.warnf("listing/watching WorkloadProfiles in %s failed: %s; retrying", pod.namespace(),
                    ApiFailures.describe(t));
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(WorkloadProfile obj) {
                reconcile();
            }

            @Override
            public void onUpdate(WorkloadProfile oldObj, WorkloadProfile newObj) {
                reconcile();
            }

            @Override
            public void onDelete(WorkloadProfile obj, boolean deletedFinalStateUnknown) {
                reconcile();
            }

            @Override
            public void onNothing() {
                reconcile();
            }
        });
        informer.start().whenComplete((v, t) -> {
            if (t == null) {
                reconcile();
            }
        });
    }

    void stop() {
        if (informer != null) {
            informer.stop();
        }
    }

    /** True once the profile question was answered from the API server (found, refused, or none applies). */
    boolean resolved() {
        return resolved;
    }

    /** The name the pod asks for: configuration / PICKET_PROFILE_NAME first, else the pod's annotation. */
    private Optional<String> requestedName() {
        return pod.profileName().or(() -> ownPod.annotation(ANNOTATION));
    }

    synchronized void reconcile() {
        if (informer == null || !informer.hasSynced()) {
            return;
        }
        Optional<String> name = requestedName();
        if (name.isEmpty() && ownPod.current().isEmpty()) {
            return; // the pod's labels are needed to select by selector; the pod watch will call again
        }
        Map<String, String> labels = ownPod.labels();
        ProfileSelection selection = ProfileSelection.choose(informer.getStore().list(), name, labels);
        resolved = true;
        if (selection.chosen().isEmpty()) {
            if (!selection.reason().equals(lastReason)) {
                Profile current = active.current();
                LOG.infof("%s; keeping the active profile (%s, generation %d)", selection.reason(), current.source(),
                        current.generation());
                lastReason = selection.reason();
            }
            return;
        }
        WorkloadProfile chosen = selection.chosen().get();
        String key = chosen.getMetadata().getUid() + "@" + chosen.getMetadata().getGeneration() + "/"
                + chosen.getMetadata().getName();
        if (!selection.others().isEmpty()) {
            String ambiguity = chosen.getMetadata().getName() + selection.others();
            if (!ambiguity.equals(lastAmbiguity)) {
                LOG.warnf("pod %s: %s", pod, selection.reason());
                events.profileAmbiguous(chosen, "Several WorkloadProfiles select this pod: " + selection.reason() + ".");
                lastAmbiguity = ambiguity;
            }
        } else {
            lastAmbiguity = null;
        }
        if (key.equals(appliedKey)) {
            return;
        }
        appliedKey = key;
        lastReason = selection.reason();
        Validated<Profile> result = active.install(chosen);
        String source = "WorkloadProfile " + pod.namespace() + "/" + chosen.getMetadata().getName() + " (generation "
                + chosen.getMetadata().getGeneration() + ")";
        if (result.isValid()) {
            LOG.infof("using %s: %s", source, selection.reason());
            status.use(chosen, true, "Valid", "generation " + chosen.getMetadata().getGeneration()
                    + " is in force on pod " + pod.name());
        } else {
            Profile kept = active.current();
            String problems = result.problems().stream().map(ValidationProblem::toString)
                    .collect(Collectors.joining("; "));
            String message = source + " refused: " + problems + ". Keeping " + kept.source() + " (generation "
                    + kept.generation() + ").";
            events.profileRejected(chosen, message);
            status.use(chosen, false, "Invalid", message);
        }
    }

    /** What changed on the pod may change the selection (labels) or the name asked for (annotation). */
    void podChanged() {
        reconcile();
    }
}
