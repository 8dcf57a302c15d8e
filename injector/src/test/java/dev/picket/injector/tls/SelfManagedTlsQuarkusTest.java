package dev.picket.injector.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The self-managed TLS mode against the mock API server: the CA and certificate live in the Secret, the
 * CA reaches the webhook configuration's caBundle, and the HTTPS port presents a certificate that the
 * API server (which trusts only caBundle and checks the Service's DNS name) would accept, including
 * after a rotation.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SelfManagedTlsQuarkusTest {

    private static final String NAMESPACE = "picket-system";
    private static final String SERVICE_HOST = "picket-injector.picket-system.svc";

    @Inject
    KubernetesClient client;

    @Inject
    SelfManagedCertificates certificates;

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    private void createWebhookConfiguration() {
        MutatingWebhookConfiguration mwc = new MutatingWebhookConfigurationBuilder()
                .withNewMetadata().withName("picket-injector").endMetadata()
                .addNewWebhook().withName("inject.picket.dev").withAdmissionReviewVersions("v1").withSideEffects("None")
                .withNewClientConfig().withNewService().withName("picket-injector").withNamespace(NAMESPACE)
                .withPath("/mutate").withPort(443).endService().endClientConfig()
                .endWebhook()
                .addNewWebhook().withName("someone-else.example.org").withAdmissionReviewVersions("v1").withSideEffects("None")
                .withNewClientConfig().withUrl("https://example.org/hook").endClientConfig()
                .endWebhook()
                .build();
        client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(mwc)
                .createOr(NonDeletingOperation::update);
    }

    private String caBundle() {
        MutatingWebhookConfiguration mwc = client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName("picket-injector").get();
        assertEquals(null, mwc.getWebhooks().get(1).getClientConfig().getCaBundle(), "another webhook was touched");
        String encoded = mwc.getWebhooks().get(0).getClientConfig().getCaBundle();
        return encoded == null ? null : new String(Base64.getDecoder().decode(encoded), StandardCharsets.US_ASCII);
    }

    private Secret secret() {
        return client.secrets().inNamespace(NAMESPACE).withName("picket-injector-tls").get();
    }

    /** A TLS handshake the way the API server makes it: SNI and hostname check on the Service name, caBundle as trust. */
    private X509Certificate handshake(String caBundlePem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        List<X509Certificate> cas = Pem.certificates(caBundlePem);
        for (int i = 0; i < cas.size(); i++) {
            trust.setCertificateEntry("ca" + i, cas.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        try (java.net.Socket plain = new java.net.Socket(https.getHost(), https.getPort());
                SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, SERVICE_HOST, https.getPort(), true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            // And the webhook answers over it.
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mutate HTTP/1.1\r\nHost: " + SERVICE_HOST + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("HTTP/1.1 400 Bad Request", status);
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void caBundleIsPublishedAndTheServedCertificateVerifiesAgainstIt() throws Exception {
        createWebhookConfiguration();
        CertificateMaterial material = certificates.reconcile(Instant.now());

        Secret secret = secret();
        assertEquals("kubernetes.io/tls", secret.getType());
        assertTrue(secret.getData().keySet().containsAll(List.of("ca.crt", "ca.key", "tls.crt", "tls.key")));
        String bundle = caBundle();
        assertEquals(material.caBundlePem(), bundle);
        assertEquals(material.serving(), handshake(bundle));

        // A second pass with nothing due changes nothing.
        String resourceVersion = secret().getMetadata().getResourceVersion();
        certificates.reconcile(Instant.now());
        assertEquals(resourceVersion, secret().getMetadata().getResourceVersion());
    }

    @Test
    void aCaBundleRemovedByAGitOpsToolIsWrittenBack() throws Exception {
        createWebhookConfiguration();
        certificates.reconcile(Instant.now());
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("picket-injector")
                .edit(mwc -> {
                    mwc.getWebhooks().getFirst().getClientConfig().setCaBundle(null);
                    return mwc;
                });
        assertEquals(null, caBundle());
        certificates.reconcile(Instant.now());
        assertTrue(caBundle().contains("BEGIN CERTIFICATE"));
    }

    @Test
    void aCertificateCloseToExpiryIsRotatedAndServedWithoutRestart() throws Exception {
        createWebhookConfiguration();
        CertificateMaterial before = certificates.reconcile(Instant.now());
        // Put a certificate from the same CA that expires in two days into the Secret (renew-before is 30 days).
        CertificateIssuer.Issued shortLived = new CertificateIssuer().servingCertificate(
                new CertificateIssuer.Issued(before.ca(), before.caKey()),
                List.of(SERVICE_HOST, SERVICE_HOST + ".cluster.local", "picket-injector.picket-system", "picket-injector"),
                Instant.now(), Duration.ofDays(2));
        Map<String, String> data = new LinkedHashMap<>(secret().getData());
        data.put("tls.crt", base64(Pem.write(List.of(shortLived.certificate()))));
        data.put("tls.key", base64(Pem.write(shortLived.key())));
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder(secret()).withData(data).build()).update();

        CertificateMaterial after = certificates.reconcile(Instant.now());
        assertEquals(before.ca(), after.ca(), "only the serving certificate was due");
        assertNotEquals(shortLived.certificate(), after.serving());
        assertTrue(after.serving().getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(80))));
        assertEquals(after.serving(), handshake(caBundle()), "the HTTPS server still serves the old certificate");
    }

    @Test
    void aForeignCaIsNotTrusted() throws Exception {
        createWebhookConfiguration();
        certificates.reconcile(Instant.now());
        CertificateIssuer.Issued stranger = new CertificateIssuer().certificateAuthority("stranger", Instant.now(),
                Duration.ofDays(30));
        // The check above is only meaningful if a handshake with the wrong trust anchor fails.
        assertThrows(SSLHandshakeException.class, () -> handshake(Pem.write(List.of(stranger.certificate()))));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
