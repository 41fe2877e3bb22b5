package dev.hardening.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Self-managed certificates as stored in the Secret: the trusted CA bundle ({@code ca.crt}, one CA, two during a CA
 * rotation), the signing CA (the bundle entry whose key is {@code ca.key}), the serving certificate, and when the
 * bundle last changed (the API server needs a moment to trust a new CA).
 */
public record CertificateState(List<X509Certificate> trustedCas, IssuedCertificate signingCa, IssuedCertificate serving,
                               Instant bundleChangedAt) {

    public CertificateState {
        trustedCas = List.copyOf(trustedCas);
    }

    /** The bundle entry that signed {@code certificate}, if any. */
    public Optional<X509Certificate> issuerOf(X509Certificate certificate) {
        return trustedCas.stream().filter(ca -> signedBy(certificate, ca)).findFirst();
    }

    public boolean servingSignedBySigningCa() {
        return signedBy(serving.certificate(), signingCa.certificate());
    }

    public TlsMaterial tlsMaterial() {
        return new TlsMaterial(Pem.encode(serving.certificate()), Pem.encode(serving.key()), Pem.encode(trustedCas));
    }

    public static boolean signedBy(X509Certificate certificate, X509Certificate ca) {
        if (!certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(ca.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** DNS and IP subject alternative names, in certificate order. */
    public static List<String> subjectAlternativeNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                certificate.getSubjectAlternativeNames().forEach(entry -> names.add(String.valueOf(entry.get(1))));
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return names;
    }

    @Override
    public String toString() {
        return "CertificateState[cas=" + trustedCas.size() + ", serving=" + serving.fingerprint() + ", keys redacted]";
    }
}
