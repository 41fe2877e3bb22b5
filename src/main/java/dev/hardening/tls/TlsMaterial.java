package dev.hardening.tls;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the webhook server needs to serve TLS. PEM text; the key never leaves memory and is never logged.
 *
 * @param certificateChainPem serving certificate followed by any intermediates
 * @param privateKeyPem       PKCS#8 private key of the serving certificate
 * @param caBundlePem         the CA certificate(s) the API server must trust (may hold two during rotation)
 */
public record TlsMaterial(String certificateChainPem, String privateKeyPem, String caBundlePem) {

    /** {@link Pem#fingerprint} of the serving (first) certificate, or {@code unparseable}: for logs and status. */
    public String leafFingerprint() {
        try {
            List<X509Certificate> chain = Pem.certificates(certificateChainPem);
            return chain.isEmpty() ? "unparseable" : Pem.fingerprint(chain.get(0));
        } catch (IllegalArgumentException e) {
            return "unparseable";
        }
    }

    @Override
    public String toString() {
        return "TlsMaterial[key redacted]";
    }
}
