package dev.hardening.rules;

import java.util.Objects;

/** The fixed, documented facts about a rule; see {@link Rule} for what each field means. */
public record RuleInfo(String id, Profile profile, String title, String description, String rationale, String remediation,
                       RuleExample example) {

    public RuleInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(example, "example");
    }
}
