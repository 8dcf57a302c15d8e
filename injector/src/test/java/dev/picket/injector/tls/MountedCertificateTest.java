package dev.picket.injector.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading certificate files as cert-manager and openssl write them, and refusing half-updated pairs. */
class MountedCertificateTest {

    @TempDir
    Path dir;

    private final CertificateIssuer issuer = new CertificateIssuer();

    private CertificateIssuer.Issued issue() throws GeneralSecurityException {
        CertificateIssuer.Issued ca = issuer.certificateAuthority("test-ca", Instant.now(), Duration.ofDays(10));
        return issuer.servingCertificate(ca, List.of("picket-injector.picket-system.svc"), Instant.now(), Duration.ofDays(5));
    }

    private static Path resource(String name) throws Exception {
        return Path.of(MountedCertificateTest.class.getResource("/tls/" + name).toURI());
    }

    @Test
    void readsTheKeyFormatsOpensslAndCertManagerWrite() throws Exception {
        ServingBundle pkcs8 = MountedCertificate.read(resource("ec.crt"), resource("ec-pkcs8.key"));
        ServingBundle sec1 = MountedCertificate.read(resource("ec.crt"), resource("ec-sec1.key"));
        assertEquals(pkcs8.leaf(), sec1.leaf());
        assertTrue(Files.readString(resource("ec-sec1.key")).contains("EC PRIVATE KEY"));
    }

    @Test
    void readsWhatThisProjectWrites() throws Exception {
        CertificateIssuer.Issued issued = issue();
        Path cert = Files.writeString(dir.resolve("tls.crt"), Pem.write(List.of(issued.certificate())));
        Path key = Files.writeString(dir.resolve("tls.key"), Pem.write(issued.key()));
        assertEquals(issued.certificate(), MountedCertificate.read(cert, key).leaf());
    }

    @Test
    void readsRsaPkcs1Keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair rsa = generator.generateKeyPair();
        X500Name name = new X500Name("CN=picket-injector.picket-system.svc");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, Date.from(Instant.now()), Date.from(Instant.now().plus(Duration.ofDays(1))), name,
                rsa.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(rsa.getPrivate())));
        StringWriter pkcs1 = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pkcs1)) {
            writer.writeObject(rsa);
        }
        assertTrue(pkcs1.toString().contains("RSA PRIVATE KEY"));
        Path cert = Files.writeString(dir.resolve("tls.crt"), Pem.write(List.of(certificate)));
        Path key = Files.writeString(dir.resolve("tls.key"), pkcs1.toString());
        assertEquals(certificate, MountedCertificate.read(cert, key).leaf());
    }

    @Test
    void aCertificateWithSomeoneElsesKeyIsRefused() throws Exception {
        CertificateIssuer.Issued first = issue();
        CertificateIssuer.Issued second = issue();
        // What a reader can see while the kubelet swaps a Secret volume: the new certificate, the old key.
        Path cert = Files.writeString(dir.resolve("tls.crt"), Pem.write(List.of(second.certificate())));
        Path key = Files.writeString(dir.resolve("tls.key"), Pem.write(first.key()));
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> MountedCertificate.read(cert, key));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void garbageIsRefused() throws Exception {
        Path cert = Files.writeString(dir.resolve("tls.crt"), "not a certificate");
        Path key = Files.writeString(dir.resolve("tls.key"), "not a key");
        assertThrows(GeneralSecurityException.class, () -> MountedCertificate.read(cert, key));
    }
}
