package dev.picket.injector.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the self-managed Secret holds: the CA bundle (current CA first, then older CAs that still verify
 * certificates other replicas may serve), the current CA's key, and the serving certificate and key.
 * The keys are those of a kubernetes.io/tls Secret plus ca.crt and ca.key.
 */
public record CertificateMaterial(List<X509Certificate> caBundle, PrivateKey caKey, X509Certificate serving,
        PrivateKey servingKey) {

    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String TLS_CERT = "tls.crt";
    public static final String TLS_KEY = "tls.key";

    public CertificateMaterial {
        caBundle = List.copyOf(caBundle);
    }

    public X509Certificate ca() {
        return caBundle.getFirst();
    }

    /** Reads the Secret's decoded data; throws when anything is missing or does not fit together. */
    public static CertificateMaterial fromData(Map<String, String> data) throws GeneralSecurityException {
        for (String key : List.of(CA_CERT, CA_KEY, TLS_CERT, TLS_KEY)) {
            if (data.get(key) == null || data.get(key).isBlank()) {
                throw new GeneralSecurityException("the Secret has no " + key);
            }
        }
        List<X509Certificate> bundle = Pem.certificates(data.get(CA_CERT));
        if (bundle.isEmpty()) {
            throw new GeneralSecurityException("ca.crt holds no certificate");
        }
        PrivateKey caKey = Pem.privateKey(data.get(CA_KEY));
        if (!ServingBundle.matches(bundle.getFirst(), caKey)) {
            throw new GeneralSecurityException("ca.key does not belong to the first certificate of ca.crt");
        }
        ServingBundle serving = ServingBundle.parse(data.get(TLS_CERT), data.get(TLS_KEY));
        return new CertificateMaterial(bundle, caKey, serving.leaf(), serving.key());
    }

    public Map<String, String> toData() {
        return Map.of(
                CA_CERT, caBundlePem(),
                CA_KEY, Pem.write(caKey),
                TLS_CERT, Pem.write(List.of(serving)),
                TLS_KEY, Pem.write(servingKey));
    }

    public String caBundlePem() {
        return Pem.write(new ArrayList<>(caBundle));
    }

    public ServingBundle servingBundle() throws GeneralSecurityException {
        return ServingBundle.parse(Pem.write(List.of(serving)), Pem.write(servingKey));
    }
}
