package dev.hardening.engine;

import dev.hardening.policy.PolicyRef;
import dev.hardening.policy.RuleMode;
import dev.hardening.rules.Violation;

/**
 * One violation as judged by one policy.
 *
 * @param mode       the mode the policy gives the rule
 * @param outcome    what it leads to in this request (an Enforce violation may be downgraded to WARN)
 * @param downgrade  why an Enforce violation did not deny ({@code null} when it did or was not Enforce)
 * @param exemption  the exemption that let it through (outcome EXEMPT), else {@code null}
 */
public record Finding(PolicyRef policy, Violation violation, RuleMode mode, FindingVerdict outcome, Downgrade downgrade,
                      CompiledExemption exemption) {

    /** A finding no exemption covers. */
    public Finding(PolicyRef policy, Violation violation, RuleMode mode, FindingVerdict outcome, Downgrade downgrade) {
        this(policy, violation, mode, outcome, downgrade, null);
    }

    /** Why an enforced violation was allowed. */
    public enum Downgrade {
        /** The object already had it before this UPDATE: only new violations deny. */
        ALREADY_PRESENT,
        /** A mirror pod: the kubelet runs it whatever the API server says. */
        MIRROR_POD
    }
}
