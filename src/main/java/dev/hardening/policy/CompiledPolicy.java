package dev.hardening.policy;

import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A HardeningPolicy prepared once, when it changes, so that admission does no per-request work beyond running rules.
 * Immutable and shared by concurrent requests.
 *
 * @param generation metadata.generation of the policy it was compiled from
 * @param rules      the rules to evaluate (never mode Off), in catalogue order
 */
public record CompiledPolicy(PolicyRef ref, long generation, List<EffectiveRule> rules, RuleSettings settings,
                             List<CompiledExemption> exemptions) {

    public CompiledPolicy {
        rules = List.copyOf(rules);
        exemptions = List.copyOf(exemptions);
    }

    /** The first unexpired exemption that covers {@code violation}. */
    public Optional<CompiledExemption> exemptionFor(Violation violation, Instant now) {
        for (CompiledExemption exemption : exemptions) {
            if (exemption.covers(violation, now)) {
                return Optional.of(exemption);
            }
        }
        return Optional.empty();
    }
}
