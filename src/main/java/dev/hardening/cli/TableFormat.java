package dev.hardening.cli;

import dev.hardening.engine.Finding;
import dev.hardening.rules.Violation;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * For people: one row per finding (where, object, container, rule, verdict, field, and the admission message's text:
 * what is wrong and its fix), then a summary. The policy column appears when more than one policy applies.
 */
final class TableFormat implements OutputFormat.Writer {

    @Override
    public void write(CheckReport report, CheckReport.FailOn failOn, PrintStream out) {
        boolean manyPolicies = report.policies().size() > 1;
        List<String[]> rows = new ArrayList<>();
        rows.add(manyPolicies
                ? new String[] {"LOCATION", "OBJECT", "CONTAINER", "RULE", "VERDICT", "POLICY", "FIELD", "PROBLEM AND FIX"}
                : new String[] {"LOCATION", "OBJECT", "CONTAINER", "RULE", "VERDICT", "FIELD", "PROBLEM AND FIX"});
        for (CheckReport.CheckedObject object : report.objects()) {
            for (CheckReport.Located located : object.findings()) {
                Finding finding = located.finding();
                Violation violation = finding.violation();
                String problem = violation.message() + "; " + violation.fix();
                String exemption = OutputFormat.exemption(report, finding);
                if (!exemption.isEmpty()) {
                    problem += " (exempt by " + exemption + ")";
                }
                List<String> row = new ArrayList<>(List.of(object.source().at(located.position()), object.displayName(),
                        violation.container() == null ? "-" : violation.container(), violation.ruleId(),
                        OutputFormat.outcome(finding)));
                if (manyPolicies) {
                    row.add(report.policyName(finding.policy()));
                }
                row.add(violation.path());
                row.add(problem);
                rows.add(row.toArray(String[]::new));
            }
        }
        if (rows.size() > 1) {
            print(rows, out);
            out.println();
        }
        out.println(report.summary());
        if (!report.coverageNote().isEmpty()) {
            out.println(report.coverageNote());
        }
        out.println("policies: " + String.join(", ", report.policies().stream()
                .map(p -> p.name() + " (" + p.origin() + ")").toList()));
    }

    /** Columns padded to their widest cell; the last one, the long text, is not padded. */
    private static void print(List<String[]> rows, PrintStream out) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns - 1; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder line = new StringBuilder(256);
        for (String[] row : rows) {
            line.setLength(0);
            for (int c = 0; c < columns - 1; c++) {
                line.append(row[c]).append(" ".repeat(widths[c] - row[c].length() + 2));
            }
            out.println(line.append(row[columns - 1]));
        }
    }
}
