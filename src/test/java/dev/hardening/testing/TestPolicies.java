package dev.hardening.testing;

import dev.hardening.engine.CompiledExemption;
import dev.hardening.engine.CompiledPolicy;
import dev.hardening.engine.EffectiveRule;
import dev.hardening.policy.PolicyRef;
import dev.hardening.policy.RuleMode;
import dev.hardening.rules.Profile;
import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleCatalogue;
import dev.hardening.rules.RuleSettings;

import java.util.ArrayList;
import java.util.List;

/** Compiled policies built straight from the catalogue, as the operator would compile a HardeningPolicy. */
public final class TestPolicies {

    private TestPolicies() {
    }

    public static CompiledPolicy profile(String namespace, String name, Profile profile, RuleMode mode,
                                  CompiledExemption... exemptions) {
        List<EffectiveRule> rules = new ArrayList<>();
        for (Rule rule : RuleCatalogue.all()) {
            if (profile.includes(rule.id())) {
                rules.add(new EffectiveRule(rule, mode));
            }
        }
        return new CompiledPolicy(new PolicyRef(namespace, name), 1, rules, RuleSettings.DEFAULTS, List.of(exemptions));
    }
}
