package dev.hardening.engine;

import dev.hardening.policy.RuleMode;
import dev.hardening.rules.Violation;

import java.util.Optional;

/**
 * A violation as one policy sees it: the mode the policy gives its rule, and the unexpired exemption that covers it,
 * if any. Produced by {@link CompiledPolicy#evaluate}, the one evaluation that admission, audit and CLI share.
 */
public record PolicyViolation(Violation violation, RuleMode mode, Optional<CompiledExemption> exemption) {

    public boolean exempt() {
        return exemption.isPresent();
    }
}
