package dev.hardening.engine;

/** What one violation leads to in one admission decision. */
public enum FindingVerdict {
    /** Denies the request. */
    DENY,
    /** Allowed; returned as a kubectl warning. */
    WARN,
    /** Allowed; recorded in the audit log and metrics only. */
    AUDIT,
    /** Covered by an unexpired exemption of the policy. */
    EXEMPT
}
