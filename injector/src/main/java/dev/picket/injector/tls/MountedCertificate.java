package dev.picket.injector.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.picket.injector.config.InjectorConfig;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.scheduler.Scheduled;

/**
 * Mounted mode: serves the certificate files of a mounted Secret (cert-manager's tls.crt/tls.key) and
 * re-reads them periodically. The kubelet updates a Secret volume by swapping a symlink, so a reader can
 * catch the new certificate with the old key; such a pair is rejected and the check simply runs again.
 */
@ApplicationScoped
public class MountedCertificate {

    private static final Logger LOG = Logger.getLogger(MountedCertificate.class);

    @Inject
    InjectorConfig config;

    @Inject
    ServingCertificate serving;

    /** At start-up a missing or broken certificate is fatal: a webhook that cannot serve TLS is useless. */
    void start() {
        try {
            serving.use(read());
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException("picket.injector.tls.mode=mounted: cannot load %s and %s: %s"
                    .formatted(config.tls().certFile(), config.tls().keyFile(), e.getMessage()), e);
        }
    }

    @Scheduled(every = "${picket.injector.tls.reload-interval}", delayed = "${picket.injector.tls.reload-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reload() {
        if (config.tls().mode() != InjectorConfig.TlsMode.MOUNTED) {
            return;
        }
        try {
            serving.use(read());
        } catch (IOException | GeneralSecurityException e) {
            // Keep serving the previous certificate; it is still valid or about to be replaced.
            LOG.warnf("cannot reload the mounted certificate, still serving the previous one: %s", e.getMessage());
        }
    }

    private ServingBundle read() throws IOException, GeneralSecurityException {
        return read(Path.of(config.tls().certFile()), Path.of(config.tls().keyFile()));
    }

    static ServingBundle read(Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
        return ServingBundle.parse(Files.readString(certificateFile), Files.readString(keyFile));
    }
}
