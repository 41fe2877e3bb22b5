package dev.hardening.engine;

import dev.hardening.policy.RuleMode;
import dev.hardening.rules.Rule;

/** A rule a policy evaluates, with the mode its violations get. Never {@link RuleMode#Off}: those are left out. */
public record EffectiveRule(Rule rule, RuleMode mode) {
}
