package dev.hardening.cli;

import dev.hardening.engine.CompiledExemption;
import dev.hardening.engine.Finding;

import java.io.PrintStream;
import java.util.Locale;

/** The {@code -o} formats of {@code check}; docs/cli.md shows each. None ever prints a value from the input. */
enum OutputFormat {
    table(new TableFormat()),
    json(new JsonFormat()),
    sarif(new SarifFormat()),
    junit(new JunitFormat());

    /** Writes a whole report. */
    interface Writer {
        void write(CheckReport report, CheckReport.FailOn failOn, PrintStream out);
    }

    private final Writer writer;

    OutputFormat(Writer writer) {
        this.writer = writer;
    }

    void write(CheckReport report, CheckReport.FailOn failOn, PrintStream out) {
        writer.write(report, failOn, out);
    }

    /** {@code deny}, {@code warn}, {@code audit} or {@code exempt}. */
    static String outcome(Finding finding) {
        return finding.outcome().name().toLowerCase(Locale.ROOT);
    }

    /** {@code spec.exemptions[0] of demo/hardened, until 2027-01-31T00:00:00Z: <reason>}, for an exempt finding. */
    static String exemption(CheckReport report, Finding finding) {
        CompiledExemption exemption = finding.exemption();
        if (!finding.outcome().equals(dev.hardening.engine.FindingVerdict.EXEMPT) || exemption == null) {
            return "";
        }
        return "spec.exemptions[" + exemption.index() + "] of " + report.policyName(finding.policy())
                + (exemption.expires() == null ? "" : ", until " + exemption.expires()) + ": " + exemption.reason();
    }
}
