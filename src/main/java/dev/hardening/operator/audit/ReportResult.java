package dev.hardening.operator.audit;

import java.util.Comparator;

/**
 * One line of a policy report: one object and one rule it violates, with the result the policy reporting tools
 * know (fail for Enforce, warn for Warn and Audit, skip when an unexpired exemption covers every violation of the
 * rule) and the first violation's field path, problem and fix.
 */
public record ReportResult(int kindOrder, String apiVersion, String kind, String namespace, String name, String uid,
                           String rule, String result, String mode, String message) {

    public static final String FAIL = "fail";
    public static final String WARN = "warn";
    public static final String SKIP = "skip";

    /** Object by kind and name, then rule: the order of a report, whatever order the lists came in. */
    public static final Comparator<ReportResult> ORDER = Comparator.comparingInt(ReportResult::kindOrder)
            .thenComparing(ReportResult::name).thenComparing(ReportResult::rule);
}
