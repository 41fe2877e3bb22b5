package dev.hardening.rules;

import java.util.List;
import java.util.Objects;

/**
 * The fixed, documented facts about a rule; see {@link Rule} for what each field means. {@code podSecurityChecks}
 * is optional: most rules have no upstream counterpart, so it is set with {@link #withPodSecurityChecks}.
 */
public record RuleInfo(String id, Profile profile, String title, String description, String rationale, String remediation,
                       RuleExample example, List<String> podSecurityChecks) {

    public RuleInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(example, "example");
        podSecurityChecks = podSecurityChecks == null ? List.of() : List.copyOf(podSecurityChecks);
    }

    public RuleInfo(String id, Profile profile, String title, String description, String rationale, String remediation,
                    RuleExample example) {
        this(id, profile, title, description, rationale, remediation, example, List.of());
    }

    /** The same facts, naming the upstream Pod Security check(s) the rule follows, e.g. {@code privileged}. */
    public RuleInfo withPodSecurityChecks(String... checkIds) {
        return new RuleInfo(id, profile, title, description, rationale, remediation, example, List.of(checkIds));
    }
}
