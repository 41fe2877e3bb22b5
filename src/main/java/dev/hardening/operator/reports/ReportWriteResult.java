package dev.hardening.operator.reports;

/**
 * Whether a policy's reports could be written, for its {@code Reported} condition.
 *
 * @param reason CamelCase: {@code Written}, {@code CrdNotInstalled} or {@code WriteFailed}
 */
public record ReportWriteResult(boolean written, String reason, String message) {
}
