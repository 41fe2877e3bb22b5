package dev.hardening.tls;

import java.util.Optional;

/** Whether this replica's admission endpoint is listening, and with which certificate. */
public interface WebhookServingState {

    boolean serving();

    /** SHA-256 fingerprint (lowercase hex) of the leaf certificate currently served, if serving. */
    Optional<String> servedCertificateFingerprint();
}
