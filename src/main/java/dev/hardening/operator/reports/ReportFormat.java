package dev.hardening.operator.reports;

/** The report APIs written: OpenReports (always, when reports are on) and the older wgpolicyk8s.io one (opt-in). */
public enum ReportFormat {
    OPEN_REPORTS("openreports.io", "v1alpha1", "Report", "reports"),
    POLICY_REPORT("wgpolicyk8s.io", "v1alpha2", "PolicyReport", "policyreports");

    private final String group;
    private final String version;
    private final String kind;
    private final String plural;

    ReportFormat(String group, String version, String kind, String plural) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.plural = plural;
    }

    public String apiVersion() {
        return group + "/" + version;
    }

    public String kind() {
        return kind;
    }

    /** e.g. {@code reports.openreports.io}, the CRD's name. */
    public String resource() {
        return plural + "." + group;
    }

    /** Only OpenReports has a report-level source and the results limit in {@code configuration}. */
    boolean openReports() {
        return this == OPEN_REPORTS;
    }
}
