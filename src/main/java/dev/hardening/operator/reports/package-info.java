/**
 * The operator's policy reports: one OpenReports {@code Report} (optionally a PolicyReport) per namespace and policy,
 * written from the audit only when changed, and the sweep of reports no policy covers. May use the engine, the
 * configuration and {@code operator.audit}.
 */
package dev.hardening.operator.reports;
