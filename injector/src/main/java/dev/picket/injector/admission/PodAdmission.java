package dev.picket.injector.admission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.picket.injector.config.InjectorConfig;
import dev.picket.injector.kube.NamespaceDirectory;
import dev.picket.injector.mutate.Decision;
import dev.picket.injector.mutate.NamespaceInfo;
import dev.picket.injector.mutate.PodInjector;
import dev.picket.injector.mutate.PodJson;
import dev.picket.injector.mutate.PodPatch;
import dev.picket.injector.mutate.SkipReason;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Answers one admission request: the I/O around the pure {@link PodInjector} (namespace labels, the
 * failure policy, logs, metrics). Never throws: whatever goes wrong becomes an answer.
 */
@ApplicationScoped
public class PodAdmission {

    private static final Logger LOG = Logger.getLogger(PodAdmission.class);

    @Inject
    PodInjector injector;

    @Inject
    NamespaceDirectory namespaces;

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
        return switch (injector.inject(pod, namespace)) {
            case Decision.Injected injected -> {
                JsonNode before = PodJson.toTree(pod);
                JsonNode after = PodJson.toTree(injected.pod());
                yield AdmissionAnswer.injected(PodPatch.diff(before, after));
            }
            case Decision.Skipped skipped -> AdmissionAnswer.skipped(skipped.reason());
            case Decision.Denied denied -> failed(denied.message());
        };
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
        if (answer.result() == AdmissionResult.SKIPPED || answer.result() == AdmissionResult.INJECTED) {
            LOG.infof("admission uid=%s pod=%s dryRun=%s result=%s %s", call.uid(), pod, call.dryRun(),
                    answer.result().label(), detail);
        } else {
            LOG.warnf("admission uid=%s pod=%s dryRun=%s result=%s %s", call.uid(), pod, call.dryRun(),
                    answer.result().label(), detail);
        }
    }
}
