package dev.hardening.operator.audit;

import dev.hardening.policy.AuditSummary;

/** How the last audit of a policy ended: complete with exact figures, or failed with a reason a user can act on. */
public sealed interface AuditRunResult {

    /** Every covered object was listed and evaluated. */
    record Completed(AuditSummary summary) implements AuditRunResult {
    }

    /**
     * Some list failed, so no figure is complete: none is shown as current.
     *
     * @param reason  CamelCase, e.g. {@code Forbidden}
     * @param message what failed, e.g. which list, and the API server's words
     */
    record Failed(String reason, String message) implements AuditRunResult {
    }
}
