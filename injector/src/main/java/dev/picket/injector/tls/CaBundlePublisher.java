package dev.picket.injector.tls;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.picket.injector.config.InjectorConfig;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Writes the CA bundle into the caBundle of every webhook of the MutatingWebhookConfiguration that points
 * at the injector's Service. Re-run on every reconcile, so a GitOps tool that re-applies the configuration
 * without caBundle is corrected within a minute.
 */
@ApplicationScoped
public class CaBundlePublisher {

    private static final Logger LOG = Logger.getLogger(CaBundlePublisher.class);

    @Inject
    KubernetesClient client;

    @Inject
    InjectorConfig config;

    /** @return true when the configuration exists and now carries the bundle */
    public boolean publish(String caBundlePem) {
        String name = config.tls().selfManaged().webhookConfigurationName();
        String encoded = Base64.getEncoder().encodeToString(caBundlePem.getBytes(StandardCharsets.US_ASCII));
        var resource = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name);
        MutatingWebhookConfiguration current = resource.get();
        if (current == null) {
            LOG.warnf("MutatingWebhookConfiguration %s not found; caBundle will be written once it exists", name);
            return false;
        }
        if (current.getWebhooks().stream().filter(this::ours).allMatch(w -> encoded.equals(w.getClientConfig().getCaBundle()))) {
            return true;
        }
        // edit() sends a JSON Patch of just the changed caBundle fields, leaving the rest of the object alone.
        resource.edit(mwc -> {
            mwc.getWebhooks().stream().filter(this::ours).forEach(w -> w.getClientConfig().setCaBundle(encoded));
            return mwc;
        });
        LOG.infof("wrote the CA bundle into MutatingWebhookConfiguration %s", name);
        return true;
    }

    private boolean ours(MutatingWebhook webhook) {
        if (webhook.getClientConfig() == null) {
            return false;
        }
        ServiceReference service = webhook.getClientConfig().getService();
        return service != null
                && Objects.equals(service.getName(), config.tls().selfManaged().serviceName())
                && Objects.equals(service.getNamespace(), config.namespace());
    }
}
