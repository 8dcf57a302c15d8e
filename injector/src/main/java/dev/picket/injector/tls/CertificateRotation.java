package dev.picket.injector.tls;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what the self-managed Secret should hold at a given instant. Pure apart from key generation.
 *
 * <ul>
 * <li>No usable material: a new CA and a new serving certificate.</li>
 * <li>The CA has less than {@code renewBefore} left: a new CA goes first in the bundle, the old one stays
 * until it expires, so replicas still serving a certificate of the old CA keep being trusted.</li>
 * <li>The serving certificate has less than {@code renewBefore} left, was not issued by the current CA,
 * or names other hosts than the Service's: a new serving certificate.</li>
 * <li>Expired CAs leave the bundle.</li>
 * </ul>
 */
public final class CertificateRotation {

    public record Policy(Duration caValidity, Duration certificateValidity, Duration renewBefore, List<String> dnsNames) {
        public Policy {
            dnsNames = List.copyOf(dnsNames);
            if (renewBefore.compareTo(certificateValidity) >= 0 || certificateValidity.compareTo(caValidity) > 0) {
                throw new IllegalArgumentException(
                        "renew-before must be shorter than certificate-validity, which must not exceed ca-validity");
            }
        }
    }

    /** The material to store, and whether it differs from what was read. */
    public record Outcome(CertificateMaterial material, boolean changed, String why) {
    }

    private final CertificateIssuer issuer;
    private final Policy policy;

    public CertificateRotation(CertificateIssuer issuer, Policy policy) {
        this.issuer = issuer;
        this.policy = policy;
    }

    public Outcome next(Optional<CertificateMaterial> current, Instant now) throws GeneralSecurityException {
        if (current.isEmpty()) {
            CertificateIssuer.Issued ca = newCa(now);
            return new Outcome(withServing(List.of(ca.certificate()), ca, now), true, "issued a new CA");
        }
        CertificateMaterial material = current.get();
        if (expiresWithin(material.ca(), now)) {
            CertificateIssuer.Issued ca = newCa(now);
            List<X509Certificate> bundle = new ArrayList<>();
            bundle.add(ca.certificate());
            bundle.addAll(unexpired(material.caBundle(), now));
            return new Outcome(withServing(bundle, ca, now), true, "rotated the CA, which expires " + notAfter(material.ca()));
        }
        List<X509Certificate> pruned = unexpired(material.caBundle(), now);
        Optional<String> servingProblem = servingProblem(material, now);
        if (servingProblem.isPresent()) {
            CertificateIssuer.Issued ca = new CertificateIssuer.Issued(material.ca(), material.caKey());
            return new Outcome(withServing(pruned, ca, now), true, servingProblem.get());
        }
        if (pruned.size() != material.caBundle().size()) {
            return new Outcome(new CertificateMaterial(pruned, material.caKey(), material.serving(), material.servingKey()),
                    true, "dropped expired CAs from the bundle");
        }
        return new Outcome(material, false, "up to date");
    }

    private Optional<String> servingProblem(CertificateMaterial material, Instant now) {
        X509Certificate serving = material.serving();
        if (expiresWithin(serving, now)) {
            return Optional.of("renewed the serving certificate, which expires " + notAfter(serving));
        }
        try {
            serving.verify(material.ca().getPublicKey());
        } catch (GeneralSecurityException e) {
            return Optional.of("reissued the serving certificate, which the current CA did not sign");
        }
        if (!dnsNames(serving).equals(Set.copyOf(policy.dnsNames()))) {
            return Optional.of("reissued the serving certificate for " + policy.dnsNames());
        }
        return Optional.empty();
    }

    private CertificateIssuer.Issued newCa(Instant now) throws GeneralSecurityException {
        return issuer.certificateAuthority("picket-injector-ca", now, policy.caValidity());
    }

    private CertificateMaterial withServing(List<X509Certificate> bundle, CertificateIssuer.Issued ca, Instant now)
            throws GeneralSecurityException {
        CertificateIssuer.Issued serving = issuer.servingCertificate(ca, policy.dnsNames(), now, policy.certificateValidity());
        return new CertificateMaterial(bundle, ca.key(), serving.certificate(), serving.key());
    }

    private boolean expiresWithin(X509Certificate certificate, Instant now) {
        return !notAfter(certificate).isAfter(now.plus(policy.renewBefore()));
    }

    private static List<X509Certificate> unexpired(List<X509Certificate> certificates, Instant now) {
        return certificates.stream().filter(c -> notAfter(c).isAfter(now)).toList();
    }

    private static Instant notAfter(X509Certificate certificate) {
        return certificate.getNotAfter().toInstant();
    }

    static Set<String> dnsNames(X509Certificate certificate) {
        Set<String> names = new HashSet<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (Integer.valueOf(2).equals(alternative.get(0))) {
                        names.add((String) alternative.get(1));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }
}
