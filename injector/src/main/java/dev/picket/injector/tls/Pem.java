package dev.picket.injector.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM in and out. Keys are read in every form cert-manager and openssl write (PKCS#1, SEC1, PKCS#8) and
 * written as PKCS#8. Only JDK providers are used, so nothing needs registering for native images.
 */
public final class Pem {

    private Pem() {
    }

    public static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream().map(X509Certificate.class::cast).toList();
        } catch (CertificateException e) {
            throw new GeneralSecurityException("not a PEM certificate: " + e.getMessage(), e);
        }
    }

    public static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return switch (object) {
                // SEC1/PKCS#1 key pairs may omit the public part; the private key info is always there.
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case null -> throw new GeneralSecurityException("no PEM private key found");
                default -> throw new GeneralSecurityException("unsupported PEM object " + object.getClass().getSimpleName()
                        + " (encrypted keys are not supported)");
            };
        } catch (IOException e) {
            throw new GeneralSecurityException("not a PEM private key: " + e.getMessage(), e);
        }
    }

    public static String write(List<X509Certificate> certificates) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
        return out.toString();
    }

    public static String write(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode private key", e);
        }
        return out.toString();
    }
}
