package dev.picket.injector.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.picket.injector.config.InjectorConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.quarkus.scheduler.Scheduled;

/**
 * Self-managed mode: keeps the CA and the serving certificate in a Secret shared by all replicas, serves
 * the Secret's certificate, writes the CA bundle into the webhook configuration, and rotates before
 * expiry. Replicas race safely: creation and updates are optimistic (409 means another replica wrote
 * first), and the loser adopts what the winner stored.
 */
@ApplicationScoped
public class SelfManagedCertificates {

    private static final Logger LOG = Logger.getLogger(SelfManagedCertificates.class);

    @Inject
    KubernetesClient client;

    @Inject
    InjectorConfig config;

    @Inject
    ServingCertificate serving;

    @Inject
    CaBundlePublisher publisher;

    @Inject
    Clock clock;

    private final CertificateIssuer issuer = new CertificateIssuer();

    void start() {
        try {
            reconcile(clock.instant());
        } catch (GeneralSecurityException | KubernetesClientException e) {
            throw new IllegalStateException("picket.injector.tls.mode=self-managed: cannot set up the certificate in Secret "
                    + secretName() + ": " + e.getMessage(), e);
        }
    }

    @Scheduled(every = "${picket.injector.tls.self-managed.reconcile-interval}",
            delayed = "${picket.injector.tls.self-managed.reconcile-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (config.tls().mode() != InjectorConfig.TlsMode.SELF_MANAGED) {
            return;
        }
        try {
            reconcile(clock.instant());
        } catch (GeneralSecurityException | KubernetesClientException e) {
            LOG.warnf("self-managed certificate check failed, still serving the previous certificate: %s", e.getMessage());
        }
    }

    /** One pass: read, rotate if due, store, serve, publish. Public for tests, which pass their own instant. */
    public synchronized CertificateMaterial reconcile(Instant now) throws GeneralSecurityException {
        CertificateRotation rotation = new CertificateRotation(issuer, policy());
        Secret secret = secrets().withName(secretName()).get();
        Optional<CertificateMaterial> current = read(secret);
        CertificateRotation.Outcome outcome = rotation.next(current, now);
        CertificateMaterial material = outcome.material();
        if (outcome.changed()) {
            Optional<CertificateMaterial> stored = store(secret, material);
            if (stored.isEmpty()) {
                // Another replica wrote first: use its material rather than overwrite it.
                material = read(secrets().withName(secretName()).get())
                        .orElseThrow(() -> new GeneralSecurityException("Secret changed concurrently and is unusable"));
            } else {
                LOG.infof("Secret %s/%s: %s", config.namespace(), secretName(), outcome.why());
            }
        }
        serving.use(material.servingBundle());
        publisher.publish(material.caBundlePem());
        return material;
    }

    private Optional<CertificateMaterial> read(Secret secret) {
        if (secret == null || secret.getData() == null) {
            return Optional.empty();
        }
        Map<String, String> decoded = new LinkedHashMap<>();
        secret.getData().forEach((k, v) -> decoded.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.US_ASCII)));
        try {
            return Optional.of(CertificateMaterial.fromData(decoded));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            LOG.warnf("Secret %s/%s is unusable (%s); issuing new certificates", config.namespace(), secretName(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Empty when another replica won the race (409 Conflict or AlreadyExists). */
    private Optional<CertificateMaterial> store(Secret existing, CertificateMaterial material) {
        Map<String, String> data = new LinkedHashMap<>();
        material.toData().forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.US_ASCII))));
        try {
            if (existing == null) {
                secrets().resource(new SecretBuilder()
                        .withNewMetadata().withName(secretName()).withNamespace(config.namespace())
                        .addToLabels("app.kubernetes.io/name", "picket-injector")
                        .addToLabels("app.kubernetes.io/component", "webhook-tls")
                        .endMetadata()
                        .withType("kubernetes.io/tls")
                        .withData(data)
                        .build()).create();
            } else {
                // Keeps metadata.resourceVersion, so the update fails with 409 if someone else changed the Secret.
                secrets().resource(new SecretBuilder(existing).withType("kubernetes.io/tls").withData(data).build()).update();
            }
            return Optional.of(material);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private CertificateRotation.Policy policy() {
        InjectorConfig.SelfManaged selfManaged = config.tls().selfManaged();
        return new CertificateRotation.Policy(selfManaged.caValidity(), selfManaged.certificateValidity(),
                selfManaged.renewBefore(), dnsNames());
    }

    /** The names the API server may use to reach the Service; the first is the one it actually uses. */
    List<String> dnsNames() {
        String service = config.tls().selfManaged().serviceName();
        String namespace = config.namespace();
        return List.of(service + "." + namespace + ".svc", service + "." + namespace + ".svc.cluster.local",
                service + "." + namespace, service);
    }

    private String secretName() {
        return config.tls().selfManaged().secretName();
    }

    private NonNamespaceOperation<Secret, SecretList, Resource<Secret>> secrets() {
        return client.secrets().inNamespace(config.namespace());
    }
}
