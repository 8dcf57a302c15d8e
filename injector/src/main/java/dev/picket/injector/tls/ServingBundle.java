package dev.picket.injector.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A serving certificate chain with its key, checked to belong together. Mounted Secrets are swapped by
 * the kubelet file by file; checking the pair is what keeps a half-updated volume from being served.
 */
public record ServingBundle(String certificatePem, String keyPem, List<X509Certificate> chain, PrivateKey key) {

    public static ServingBundle parse(String certificatePem, String keyPem) throws GeneralSecurityException {
        List<X509Certificate> chain = Pem.certificates(certificatePem);
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no certificate found");
        }
        PrivateKey key = Pem.privateKey(keyPem);
        if (!matches(chain.getFirst(), key)) {
            throw new GeneralSecurityException("the private key does not belong to the certificate");
        }
        return new ServingBundle(certificatePem, keyPem, List.copyOf(chain), key);
    }

    public X509Certificate leaf() {
        return chain.getFirst();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** Same bytes as another bundle: reloading an unchanged file must not churn the server's TLS context. */
    public boolean sameAs(ServingBundle other) {
        return other != null && certificatePem.equals(other.certificatePem) && keyPem.equals(other.keyPem);
    }

    /** Proves possession: sign with the key, verify with the certificate's public key. */
    static boolean matches(X509Certificate certificate, PrivateKey key) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm());
        };
        byte[] probe = "picket-injector key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        try {
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        // Never print the key.
        return "ServingBundle[subject=" + leaf().getSubjectX500Principal() + ", notAfter=" + notAfter() + "]";
    }
}
