package dev.picket.injector.tls;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.picket.injector.config.InjectorConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Puts a certificate in place before the HTTPS server opens its port: Quarkus fires StartupEvent before it
 * binds the sockets, and the server looks up the TLS configuration this registers.
 */
@ApplicationScoped
public class TlsStartup {

    @Inject
    InjectorConfig config;

    @Inject
    MountedCertificate mounted;

    @Inject
    SelfManagedCertificates selfManaged;

    void start(@Observes @Priority(1) StartupEvent event) {
        switch (config.tls().mode()) {
            case MOUNTED -> mounted.start();
            case SELF_MANAGED -> selfManaged.start();
        }
    }
}
