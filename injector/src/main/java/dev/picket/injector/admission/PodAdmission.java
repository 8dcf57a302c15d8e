package dev.picket.injector.admission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.picket.injector.config.InjectorConfig;
import dev.picket.injector.kube.NamespaceDirectory;
import dev.picket.injector.kube.ProfileDirectory;
import dev.picket.injector.mutate.NamespaceInfo;
import dev.picket.injector.mutate.PodInjector;
import dev.picket.injector.mutate.PodJson;
import dev.picket.injector.mutate.SkipReason;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Answers one admission request: the I/O around the pure {@link AdmissionDecision} (namespace labels and
 * WorkloadProfiles from their caches, the failure policy, logs). Never throws: whatever goes wrong becomes an answer.
 */
@ApplicationScoped
public class PodAdmission {

    private static final Logger LOG = Logger.getLogger(PodAdmission.class);

    @Inject
    PodInjector injector;

    @Inject
    NamespaceDirectory namespaces;

    @Inject
    ProfileDirectory profiles;

    @Inject
    InjectorConfig config;

    public AdmissionAnswer answer(AdmissionCall call) {
        String pod = PodNames.display(call);
        AdmissionAnswer answer;
        try {
            answer = decide(call);
        } catch (RuntimeException e) {
            LOG.errorf(e, "admission uid=%s pod=%s: unexpected failure", call.uid(), pod);
            answer = failed("internal error while injecting (" + e.getClass().getSimpleName() + "); see the injector's log");
        }
        log(call, pod, answer);
        return answer;
    }

    private AdmissionAnswer decide(AdmissionCall call) {
        if (!call.isPod()) {
            return AdmissionAnswer.skipped(SkipReason.NOT_A_POD);
        }
        if (!call.isCreate()) {
            return AdmissionAnswer.skipped(SkipReason.NOT_A_CREATE);
        }
        if (call.object() == null || !call.object().isObject()) {
            return failed("the request carries no pod (request.object is missing)");
        }
        Pod pod;
        try {
            pod = PodJson.toPod(call.object());
        } catch (IllegalArgumentException e) {
            return failed("request.object cannot be read as a Pod: " + AdmissionReviewReader.printable(e.getMessage()));
        }
        String namespaceName = namespaceOf(call, pod);
        if (namespaceName == null) {
            return failed("neither the request nor the pod names a namespace");
        }
        NamespaceInfo namespace = namespaces.lookup(namespaceName);
        return AdmissionDecision.decide(pod, namespace, profiles::lookup, injector, config.onFailure());
    }

    /** The request's namespace is authoritative; the pod's own field is only a fallback (and may be absent). */
    private static String namespaceOf(AdmissionCall call, Pod pod) {
        if (call.namespace() != null && !call.namespace().isBlank()) {
            return call.namespace();
        }
        String own = pod.getMetadata() == null ? null : pod.getMetadata().getNamespace();
        return own == null || own.isBlank() ? null : own;
    }

    private AdmissionAnswer failed(String message) {
        return AdmissionAnswer.failure(config.onFailure(), message);
    }

    private static void log(AdmissionCall call, String pod, AdmissionAnswer answer) {
        String detail = answer.skip().map(s -> "reason=" + s.code() + ": " + s.sentence())
                .or(() -> answer.message())
                .orElse("sidecar added");
        if (!answer.findings().isEmpty()) {
            detail += " findings=" + String.join("; ", answer.findings().stream()
                    .map(f -> f.action().wire() + " " + f).toList());
        }
        boolean quiet = answer.result() == AdmissionResult.SKIPPED || answer.result() == AdmissionResult.INJECTED;
        if (quiet && answer.findings().isEmpty()) {
            LOG.infof("admission uid=%s pod=%s dryRun=%s result=%s %s", call.uid(), pod, call.dryRun(),
                    answer.result().label(), detail);
        } else {
            LOG.warnf("admission uid=%s pod=%s dryRun=%s result=%s %s", call.uid(), pod, call.dryRun(),
                    answer.result().label(), detail);
        }
    }
}
