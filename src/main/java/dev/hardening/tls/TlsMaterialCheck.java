package dev.hardening.tls;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What is wrong with TLS material before a replica serves it or the leader registers its CA: in cert-manager and
 * external modes this is how the operator verifies what someone else wrote. Messages never quote key material.
 */
public final class TlsMaterialCheck {

    private TlsMaterialCheck() {
    }

    /** Problems that make the material unservable: a replica keeps what it serves instead. */
    public static List<String> blockingProblems(TlsMaterial material) {
        List<X509Certificate> chain;
        PrivateKey key;
        try {
            chain = Pem.certificates(material.certificateChainPem());
            if (chain.isEmpty()) {
                return List.of(CertificateSecret.TLS_CRT + ": no certificate");
            }
        } catch (IllegalArgumentException e) {
            return List.of(CertificateSecret.TLS_CRT + ": " + e.getMessage());
        }
        try {
            key = Pem.privateKey(material.privateKeyPem());
        } catch (IllegalArgumentException e) {
            return List.of(CertificateSecret.TLS_KEY + ": " + e.getMessage());
        }
        if (!keyMatches(chain.get(0), key)) {
            return List.of(CertificateSecret.TLS_KEY + ": does not belong to the certificate in " + CertificateSecret.TLS_CRT);
        }
        return List.of();
    }

    /** Problems that make the API server reject the served certificate: served anyway, but reported loudly. */
    public static List<String> trustProblems(TlsMaterial material, Instant now) {
        List<String> problems = new ArrayList<>();
        X509Certificate leaf = Pem.certificates(material.certificateChainPem()).get(0);
        if (!now.isBefore(leaf.getNotAfter().toInstant())) {
            problems.add(CertificateSecret.TLS_CRT + ": expired at " + leaf.getNotAfter().toInstant());
        }
        List<X509Certificate> cas;
        try {
            cas = Pem.certificates(material.caBundlePem());
        } catch (IllegalArgumentException e) {
            problems.add(CertificateSecret.CA_CRT + ": " + e.getMessage());
            return problems;
        }
        if (cas.isEmpty()) {
            problems.add(CertificateSecret.CA_CRT + ": no CA certificate, the API server could not trust the webhook");
        } else if (cas.stream().noneMatch(ca -> CertificateState.signedBy(leaf, ca) || leaf.equals(ca))) {
            problems.add(CertificateSecret.CA_CRT + ": no CA that signed " + CertificateSecret.TLS_CRT);
        }
        return problems;
    }

    /** Whether {@code key} is the private half of {@code certificate}'s public key (sign and verify a nonce). */
    public static boolean keyMatches(X509Certificate certificate, PrivateKey key) {
        String algorithm = "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            byte[] nonce = "hardening-operator key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(nonce);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(nonce);
            return verifier.verify(signature);
        } catch (Exception e) {
            return false;
        }
    }
}
