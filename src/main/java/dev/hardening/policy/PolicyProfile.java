package dev.hardening.policy;

import dev.hardening.rules.Profile;

/** The rule set a policy starts from; constant names are the values users write. */
public enum PolicyProfile {
    /** Pod Security Standards Baseline: blocks known privilege escalations. */
    Baseline,
    /** Pod Security Standards Restricted: Baseline plus current pod hardening best practice. */
    Restricted,
    /** Restricted plus the release-checklist rules (digests, limits, read-only root, probes, no plaintext secrets). */
    Hardened,
    /** No rule: only the rules listed in spec.rules apply. */
    None;

    public Profile profile() {
        return Profile.ofDisplayName(name());
    }
}
