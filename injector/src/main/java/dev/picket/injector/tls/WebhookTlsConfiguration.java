package dev.picket.injector.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Set;

import io.quarkus.tls.BaseTlsConfiguration;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;

/**
 * The HTTPS server's TLS configuration, registered programmatically in the Quarkus TLS registry under
 * {@link #NAME}. Both TLS modes feed it in-memory PEM (the mounted mode from files, the self-managed mode
 * from its Secret), so one code path serves and hot-swaps certificates: {@link #use} replaces the
 * content and a CertificateUpdatedEvent makes the running server pick it up.
 */
final class WebhookTlsConfiguration extends BaseTlsConfiguration {

    /** Referenced by quarkus.http.tls-configuration-name. */
    static final String NAME = "picket-webhook";

    private record State(ServingBundle bundle, PemKeyCertOptions options) {
    }

    private volatile State state;

    WebhookTlsConfiguration(ServingBundle bundle) {
        use(bundle);
    }

    void use(ServingBundle bundle) {
        state = new State(bundle, new PemKeyCertOptions()
                .addCertValue(Buffer.buffer(bundle.certificatePem()))
                .addKeyValue(Buffer.buffer(bundle.keyPem())));
    }

    ServingBundle bundle() {
        return state.bundle();
    }

    @Override
    public KeyCertOptions getKeyStoreOptions() {
        return state.options();
    }

    @Override
    public KeyStore getKeyStore() {
        ServingBundle bundle = state.bundle();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(NAME, bundle.key(), new char[0], bundle.chain().toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a key store from the serving certificate", e);
        }
    }

    @Override
    public SSLOptions getSSLOptions() {
        SSLOptions options = new SSLOptions();
        options.setKeyCertOptions(state.options());
        options.setEnabledSecureTransportProtocols(Set.of("TLSv1.3", "TLSv1.2"));
        return options;
    }

    @Override
    public boolean reload() {
        // The content changes only through use(); there is nothing to re-read here.
        return true;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
