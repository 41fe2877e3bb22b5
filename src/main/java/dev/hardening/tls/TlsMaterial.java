package dev.hardening.tls;

/**
 * What the webhook server needs to serve TLS. PEM text; the key never leaves memory and is never logged.
 *
 * @param certificateChainPem serving certificate followed by any intermediates
 * @param privateKeyPem       PKCS#8 private key of the serving certificate
 * @param caBundlePem         the CA certificate(s) the API server must trust (may hold two during rotation)
 */
public record TlsMaterial(String certificateChainPem, String privateKeyPem, String caBundlePem) {

    @Override
    public String toString() {
        return "TlsMaterial[key redacted]";
    }
}
