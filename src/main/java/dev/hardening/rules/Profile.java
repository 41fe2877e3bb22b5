package dev.hardening.rules;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Named sets of rule ids. Baseline and Restricted follow the upstream Pod Security Standards;
 * Hardened adds the release-checklist rules. Opt-in rules ({@code image-tag}, {@code image-registry},
 * {@code resource-requests}) belong to no profile.
 */
public enum Profile {
    NONE("None", List.of()),
    BASELINE("Baseline", List.of(
            "no-privileged", "no-host-namespaces", "no-host-path", "no-host-ports", "no-host-process",
            "baseline-capabilities", "no-unconfined-seccomp", "safe-sysctls", "default-proc-mount",
            "selinux-options", "apparmor-profile", "no-probe-host")),
    RESTRICTED("Restricted", BASELINE, List.of(
            "run-as-non-root", "no-privilege-escalation", "drop-all-capabilities", "seccomp-profile",
            "restricted-volume-types")),
    HARDENED("Hardened", RESTRICTED, List.of(
            "image-digest", "resource-limits", "read-only-root-filesystem", "no-plaintext-secrets", "health-probes"));

    private final String displayName;
    private final Set<String> ruleIds;

    Profile(String displayName, List<String> own) {
        this.displayName = displayName;
        this.ruleIds = Set.copyOf(own);
    }

    Profile(String displayName, Profile base, List<String> own) {
        this.displayName = displayName;
        Set<String> ids = new LinkedHashSet<>(base.ruleIds);
        ids.addAll(own);
        this.ruleIds = Set.copyOf(ids);
    }

    /** The name users write in a policy, e.g. {@code Hardened}. */
    public String displayName() {
        return displayName;
    }

    public Set<String> ruleIds() {
        return ruleIds;
    }

    public boolean includes(String ruleId) {
        return ruleIds.contains(ruleId);
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
