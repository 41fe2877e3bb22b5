package dev.hardening.rules;

import java.util.Set;

/**
 * Named sets of rules, each containing the rules of the one before it. Baseline and Restricted follow the upstream
 * Pod Security Standards; Hardened adds the release-checklist rules. The sets are not written here: each rule declares
 * the first profile that contains it ({@link Rule#profile()}), and opt-in rules declare {@link #NONE}.
 */
public enum Profile {
    NONE("None"),
    BASELINE("Baseline"),
    RESTRICTED("Restricted"),
    HARDENED("Hardened");

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
        return this != NONE && first != NONE && first.ordinal() <= ordinal();
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
