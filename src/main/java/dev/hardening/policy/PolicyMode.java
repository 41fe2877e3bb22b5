package dev.hardening.policy;

/** The policy-wide mode: what a violation leads to unless a rule says otherwise. */
public enum PolicyMode {
    Enforce,
    Warn,
    Audit;

    public RuleMode ruleMode() {
        return RuleMode.valueOf(name());
    }
}
