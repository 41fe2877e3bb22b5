package dev.hardening.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate with its private key. {@link #toString()} never shows the key. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey key) {

    public String fingerprint() {
        return Pem.fingerprint(certificate);
    }

    @Override
    public String toString() {
        return "IssuedCertificate[" + certificate.getSubjectX500Principal().getName() + ", key redacted]";
    }
}
