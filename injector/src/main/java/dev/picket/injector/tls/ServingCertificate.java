package dev.picket.injector.tls;

import java.util.Optional;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfigurationRegistry;

/** The certificate the webhook serves right now, whichever mode supplied it. */
@Singleton
public class ServingCertificate {

    private static final Logger LOG = Logger.getLogger(ServingCertificate.class);

    @Inject
    TlsConfigurationRegistry registry;

    @Inject
    Event<CertificateUpdatedEvent> updated;

    private WebhookTlsConfiguration configuration;

    /** Serves {@code bundle} from now on; a no-op when it is the certificate already served. */
    public synchronized void use(ServingBundle bundle) {
        if (configuration == null) {
            configuration = new WebhookTlsConfiguration(bundle);
            registry.register(WebhookTlsConfiguration.NAME, configuration);
            LOG.infof("serving %s", bundle);
            return;
        }
        if (bundle.sameAs(configuration.bundle())) {
            return;
        }
        configuration.use(bundle);
        // The HTTP server observes this event and swaps its SSL options without dropping connections.
        updated.fire(new CertificateUpdatedEvent(WebhookTlsConfiguration.NAME, configuration));
        LOG.infof("now serving %s", bundle);
    }

    public synchronized Optional<ServingBundle> current() {
        return Optional.ofNullable(configuration).map(WebhookTlsConfiguration::bundle);
    }
}
