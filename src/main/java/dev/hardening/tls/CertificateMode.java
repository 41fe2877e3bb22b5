package dev.hardening.tls;

import java.util.Arrays;
import java.util.Optional;

/** Who writes the certificate Secret: the operator, cert-manager, or the user. The operator reads it in every mode. */
public enum CertificateMode {
    SELF_MANAGED("self-managed"),
    CERT_MANAGER("cert-manager"),
    EXTERNAL("external");

    private final String value;

    CertificateMode(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<CertificateMode> parse(String value) {
        return Arrays.stream(values()).filter(m -> m.value.equals(value)).findFirst();
    }
}
