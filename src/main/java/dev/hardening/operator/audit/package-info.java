/**
 * The operator's background audit: paged lists of the workloads a policy covers, evaluated with the engine as they
 * arrive, tallied in bounded memory ({@code PolicyAuditor}, {@code AuditScope}, {@code AuditLedger}). May use the
 * engine, the configuration and {@code registration} (the namespaces admission never sees).
 */
package dev.hardening.operator.audit;
