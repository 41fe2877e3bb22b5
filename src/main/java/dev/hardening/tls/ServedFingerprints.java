package dev.hardening.tls;

import java.util.Set;

/**
 * Fingerprints of the leaf certificates the webhook replicas serve right now.
 *
 * @param fingerprints one entry per distinct certificate seen
 * @param complete     every ready replica answered; when false, nobody may assume the old CA is unused
 */
public record ServedFingerprints(Set<String> fingerprints, boolean complete) {

    public ServedFingerprints {
        fingerprints = Set.copyOf(fingerprints);
    }

    public static ServedFingerprints unknown() {
        return new ServedFingerprints(Set.of(), false);
    }

    /** True only when at least one replica was asked and all of them serve {@code fingerprint}. */
    public boolean allServe(String fingerprint) {
        return complete && fingerprints.equals(Set.of(fingerprint));
    }
}
