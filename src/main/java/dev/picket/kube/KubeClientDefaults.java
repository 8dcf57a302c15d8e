package dev.picket.kube;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Client defaults for a sidecar that must not wait on the API server: a failed request fails at once instead of
 * being retried inside the client (fabric8 retries ten times by default), because {@link KubeQueue} retries
 * with its own backoff and in order; a request times out after 5 s instead of 10 s. Settings made with
 * {@code quarkus.kubernetes-client.*} win.
 */
@Singleton
public class KubeClientDefaults implements KubernetesConfigCustomizer {

    @Override
    public void customize(Config config) {
        var c = ConfigProvider.getConfig();
        if (c.getOptionalValue("quarkus.kubernetes-client.request-retry-backoff-limit", String.class).isEmpty()) {
            config.setRequestRetryBackoffLimit(0);
        }
        if (c.getOptionalValue("quarkus.kubernetes-client.request-timeout", String.class).isEmpty()) {
            config.setRequestTimeout(5000);
        }
    }
}
