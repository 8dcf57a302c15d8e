package dev.picket.injector.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Rotation over a simulated year and a half, with the instant passed in rather than waited for. */
class CertificateRotationTest {

    private static final List<String> NAMES = List.of("picket-injector.picket-system.svc", "picket-injector");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final CertificateRotation rotation = new CertificateRotation(new CertificateIssuer(),
            new CertificateRotation.Policy(Duration.ofDays(365), Duration.ofDays(90), Duration.ofDays(30), NAMES));

    @Test
    void aYearAndAHalfOfRotations() throws Exception {
        CertificateMaterial first = rotation.next(Optional.empty(), T0).material();
        first.serving().verify(first.ca().getPublicKey());
        assertEquals(java.util.Set.copyOf(NAMES), CertificateRotation.dnsNames(first.serving()));

        CertificateRotation.Outcome day1 = rotation.next(Optional.of(first), T0.plus(Duration.ofDays(1)));
        assertFalse(day1.changed());

        // 61 days in, 29 days are left on the 90-day certificate: renewed by the same CA.
        CertificateRotation.Outcome day61 = rotation.next(Optional.of(first), T0.plus(Duration.ofDays(61)));
        assertTrue(day61.changed());
        assertEquals(first.ca(), day61.material().ca());
        assertNotEquals(first.serving(), day61.material().serving());

        // 336 days in, the CA has 29 days left: new CA first, old CA kept so its certificates still verify.
        CertificateRotation.Outcome day336 = rotation.next(Optional.of(day61.material()), T0.plus(Duration.ofDays(336)));
        assertTrue(day336.changed());
        assertEquals(2, day336.material().caBundle().size());
        assertEquals(first.ca(), day336.material().caBundle().get(1));
        day336.material().serving().verify(day336.material().ca().getPublicKey());

        // After the old CA expired it leaves the bundle.
        CertificateRotation.Outcome day400 = rotation.next(Optional.of(day336.material()), T0.plus(Duration.ofDays(400)));
        assertEquals(1, day400.material().caBundle().size());
        assertEquals(day336.material().ca(), day400.material().ca());
    }

    @Test
    void aServingCertificateNeverOutlivesItsCa() throws Exception {
        CertificateMaterial first = rotation.next(Optional.empty(), T0).material();
        // 300 days in a renewal is forced (wrong names), and the CA has 65 days left, more than renew-before.
        CertificateRotation renamed = new CertificateRotation(new CertificateIssuer(), new CertificateRotation.Policy(
                Duration.ofDays(365), Duration.ofDays(90), Duration.ofDays(30), List.of("other.picket-system.svc")));
        CertificateMaterial next = renamed.next(Optional.of(first), T0.plus(Duration.ofDays(300))).material();
        assertFalse(next.serving().getNotAfter().after(first.ca().getNotAfter()));
        assertEquals(java.util.Set.of("other.picket-system.svc"), CertificateRotation.dnsNames(next.serving()));
    }

    @Test
    void secretDataRoundTripsAndBrokenDataIsRefused() throws Exception {
        CertificateMaterial material = rotation.next(Optional.empty(), T0).material();
        CertificateMaterial read = CertificateMaterial.fromData(material.toData());
        assertEquals(material.serving(), read.serving());
        assertEquals(material.caBundle(), read.caBundle());

        Map<String, String> noKey = new HashMap<>(material.toData());
        noKey.remove("tls.key");
        assertThrows(GeneralSecurityException.class, () -> CertificateMaterial.fromData(noKey));

        CertificateMaterial other = rotation.next(Optional.empty(), T0).material();
        Map<String, String> mixed = new HashMap<>(material.toData());
        mixed.put("tls.key", other.toData().get("tls.key"));
        assertThrows(GeneralSecurityException.class, () -> CertificateMaterial.fromData(mixed));
    }

    @Test
    void impossiblePoliciesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CertificateRotation.Policy(Duration.ofDays(365),
                Duration.ofDays(30), Duration.ofDays(30), NAMES));
        assertThrows(IllegalArgumentException.class, () -> new CertificateRotation.Policy(Duration.ofDays(60),
                Duration.ofDays(90), Duration.ofDays(30), NAMES));
    }
}
