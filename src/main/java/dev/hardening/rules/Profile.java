package dev.hardening.rules;

import java.util.Set;

/**
 * Named sets of rules, each containing the rules of the one before it. Baseline and Restricted follow the upstream
 * Pod Security Standards; Hardened adds the release-checklist rules. The sets are not written here: each rule declares
 * the first profile that contains it ({@link Rule#profile()}), and opt-in rules declare {@link #None}. Constant names
 * are the values users write (a policy's {@code spec.profile}, the CLI's {@code --profile}); the CRD's enum comes
 * from them.
 */
public enum Profile {
    /** Pod Security Standards Baseline: blocks known privilege escalations. */
    Baseline("Baseline"),
    /** Pod Security Standards Restricted: Baseline plus current pod hardening best practice. */
    Restricted("Restricted"),
    /** Restricted plus the release-checklist rules (digests, limits, read-only root, probes, no plaintext secrets). */
    Hardened("Hardened"),
    /** No rule: only the rules a policy lists apply. */
    None("None");

    private final String displayName;

    Profile(String displayName) {
        this.displayName = displayName;
    }

    /** The name users write in a policy, e.g. {@code Hardened}. */
    public String displayName() {
        return displayName;
    }

    /** The ids of the catalogue rules in this profile, in documentation order. */
    public Set<String> ruleIds() {
        return RuleCatalogue.idsIn(this);
    }

    public boolean includes(String ruleId) {
        return ruleIds().contains(ruleId);
    }

    /** Whether this profile contains a rule whose first profile is {@code first}; NONE contains nothing. */
    public boolean contains(Profile first) {
        return this != None && first != None && first.ordinal() <= ordinal();
    }

    public static Profile ofDisplayName(String name) {
        for (Profile profile : values()) {
            if (profile.displayName.equals(name)) {
                return profile;
            }
        }
        throw new IllegalArgumentException("unknown profile \"" + name + "\"; expected one of Baseline, Restricted, Hardened, None");
    }
}
