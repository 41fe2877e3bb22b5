package dev.hardening.cli;

import dev.hardening.engine.EffectiveRule;
import dev.hardening.engine.Finding;
import dev.hardening.engine.FindingVerdict;
import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleCatalogue;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * JUnit XML for CI test reports: a test suite per file, a test case per object and rule evaluated. A case fails on a
 * deny (and on a warn with {@code --fail-on warn}), is skipped when every finding is exempt, and passes otherwise;
 * warn and audit findings of a passing case are in its system-out.
 */
final class JunitFormat implements OutputFormat.Writer {

    /** One object × rule. */
    private record Case(CheckReport.CheckedObject object, String rule, List<CheckReport.Located> findings) {
    }

    @Override
    public void write(CheckReport report, CheckReport.FailOn failOn, PrintStream out) {
        Set<String> evaluated = report.policies().stream().flatMap(p -> p.compiled().rules().stream())
                .map(EffectiveRule::rule).map(Rule::id).collect(Collectors.toSet());
        List<String> rules = RuleCatalogue.all().stream().map(Rule::id).filter(evaluated::contains).toList();
        Map<String, List<Case>> suites = new LinkedHashMap<>();
        for (CheckReport.CheckedObject object : report.objects()) {
            List<Case> cases = suites.computeIfAbsent(object.source().name(), s -> new ArrayList<>());
            for (String rule : rules) {
                cases.add(new Case(object, rule, object.findings().stream()
                        .filter(l -> l.finding().violation().ruleId().equals(rule)).toList()));
            }
        }
        StringBuilder xml = new StringBuilder(4096).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        List<Case> all = suites.values().stream().flatMap(List::stream).toList();
        xml.append("<testsuites name=\"hardening check\"");
        counts(xml, all, failOn);
        xml.append(">\n");
        for (Map.Entry<String, List<Case>> suite : suites.entrySet()) {
            xml.append("  <testsuite name=\"").append(escape(suite.getKey())).append('"');
            counts(xml, suite.getValue(), failOn);
            xml.append(">\n");
            for (Case c : suite.getValue()) {
                testCase(xml, report, c, failOn);
            }
            xml.append("  </testsuite>\n");
        }
        out.print(xml.append("</testsuites>\n"));
    }

    private static void counts(StringBuilder xml, List<Case> cases, CheckReport.FailOn failOn) {
        long failures = cases.stream().filter(c -> failed(c, failOn)).count();
        long skipped = cases.stream().filter(c -> !failed(c, failOn) && exemptOnly(c)).count();
        xml.append(" tests=\"").append(cases.size()).append("\" failures=\"").append(failures)
                .append("\" errors=\"0\" skipped=\"").append(skipped).append('"');
    }

    private static void testCase(StringBuilder xml, CheckReport report, Case c, CheckReport.FailOn failOn) {
        CheckReport.CheckedObject object = c.object();
        xml.append("    <testcase name=\"").append(escape(c.rule())).append("\" classname=\"")
                .append(escape(object.displayName())).append("\" file=\"").append(escape(object.source().name())).append('"');
        if (object.position().known()) {
            xml.append(" line=\"").append(object.position().line()).append('"');
        }
        if (c.findings().isEmpty()) {
            xml.append("/>\n");
            return;
        }
        xml.append(">\n");
        String lines = c.findings().stream().map(l -> line(report, object, l)).collect(Collectors.joining("\n"));
        if (failed(c, failOn)) {
            Finding first = c.findings().stream().map(CheckReport.Located::finding)
                    .filter(f -> fails(f, failOn)).findFirst().orElseThrow();
            xml.append("      <failure message=\"").append(escape(first.violation().describe())).append("\" type=\"")
                    .append(first.mode().name()).append("\">").append(escape(lines)).append("</failure>\n");
        } else if (exemptOnly(c)) {
            xml.append("      <skipped message=\"").append(escape("exempt: " + OutputFormat.exemption(report,
                    c.findings().get(0).finding()))).append("\"/>\n");
        } else {
            xml.append("      <system-out>").append(escape(lines)).append("</system-out>\n");
        }
        xml.append("    </testcase>\n");
    }

    /** {@code file:line:col deny demo/hardened: [rule] container "app": message; fix} */
    private static String line(CheckReport report, CheckReport.CheckedObject object, CheckReport.Located located) {
        Finding finding = located.finding();
        return object.source().at(located.position()) + " " + OutputFormat.outcome(finding) + " "
                + report.policyName(finding.policy()) + ": " + finding.violation().describe();
    }

    private static boolean failed(Case c, CheckReport.FailOn failOn) {
        return c.findings().stream().anyMatch(l -> fails(l.finding(), failOn));
    }

    private static boolean fails(Finding finding, CheckReport.FailOn failOn) {
        return finding.outcome() == FindingVerdict.DENY || (failOn == CheckReport.FailOn.warn && finding.outcome() == FindingVerdict.WARN);
    }

    private static boolean exemptOnly(Case c) {
        return !c.findings().isEmpty() && c.findings().stream().allMatch(l -> l.finding().outcome() == FindingVerdict.EXEMPT);
    }

    /** XML 1.0 text and attribute escaping; characters XML cannot hold at all are dropped. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c == '\n' || c == '\t' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                            || c >= 0x10000) {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
