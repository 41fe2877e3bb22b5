package dev.hardening.policy;

/** What a violation of a rule leads to. Constant names are the values users write in a policy. */
public enum RuleMode {
    /** Deny the request. */
    Enforce,
    /** Allow, and return a warning that kubectl prints. */
    Warn,
    /** Allow, and record the violation in the API server's audit log and in metrics. */
    Audit,
    /** Do not evaluate the rule at all. */
    Off
}
