package dev.hardening.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hardening.engine.Finding;
import dev.hardening.rules.Violation;

import java.io.PrintStream;

/**
 * For scripts; the schema is documented in docs/cli.md ({@code "schemaVersion": 1}: fields are only ever added).
 * Positions are 1-based and absent where unknown (rendered Helm output).
 */
final class JsonFormat implements OutputFormat.Writer {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public void write(CheckReport report, CheckReport.FailOn failOn, PrintStream out) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schemaVersion", 1);
        ObjectNode summary = root.putObject("summary");
        summary.put("checked", report.objects().size());
        summary.put("denied", report.count(CheckReport.Verdict.DENIED));
        summary.put("warned", report.count(CheckReport.Verdict.WARNED));
        summary.put("passed", report.count(CheckReport.Verdict.PASSED));
        summary.put("skipped", report.skipped().size());
        ObjectNode kinds = summary.putObject("skippedKinds");
        report.skippedKinds().forEach(kinds::put);
        summary.put("unreadable", report.unreadable().size());
        if (!report.coverageNotEvaluated().isEmpty()) {
            summary.putArray("coverageNotEvaluated").addAll(report.coverageNotEvaluated().stream()
                    .map(summary::textNode).toList());
        }
        summary.put("exitCode", report.exitCode(failOn));
        ArrayNode policies = root.putArray("policies");
        for (CheckPolicy policy : report.policies()) {
            ObjectNode node = policies.addObject().put("name", policy.name()).put("origin", policy.origin());
            ArrayNode rules = node.putArray("rules");
            policy.compiled().rules().forEach(r -> rules.addObject().put("id", r.rule().id()).put("mode", r.mode().name()));
        }
        ArrayNode objects = root.putArray("objects");
        for (CheckReport.CheckedObject object : report.objects()) {
            ObjectNode node = objects.addObject();
            where(node, object.source(), object.position());
            node.put("apiVersion", object.apiVersion()).put("kind", object.kind());
            if (!object.namespace().isEmpty()) {
                node.put("namespace", object.namespace());
            }
            node.put("name", object.name()).put("verdict", object.verdict().name().toLowerCase(java.util.Locale.ROOT));
            ArrayNode findings = node.putArray("findings");
            for (CheckReport.Located located : object.findings()) {
                finding(findings.addObject(), report, object.source(), located);
            }
        }
        ArrayNode unreadable = root.putArray("unreadable");
        report.unreadable().forEach(unreadable::add);
        ArrayNode skipped = root.putArray("skipped");
        for (CheckReport.SkippedObject object : report.skipped()) {
            ObjectNode node = skipped.addObject();
            where(node, object.source(), object.position());
            node.put("apiVersion", object.apiVersion()).put("kind", object.kind()).put("name", object.name());
        }
        try {
            out.println(MAPPER.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON report", e);
        }
    }

    private static void finding(ObjectNode node, CheckReport report, Source source, CheckReport.Located located) {
        Finding finding = located.finding();
        Violation violation = finding.violation();
        node.put("policy", report.policyName(finding.policy()))
                .put("rule", violation.ruleId())
                .put("mode", finding.mode().name())
                .put("outcome", OutputFormat.outcome(finding));
        if (violation.container() != null) {
            node.put("container", violation.container());
        }
        if (violation.image() != null) {
            node.put("image", violation.image());
        }
        node.put("path", violation.path());
        if (located.position().known()) {
            node.put("line", located.position().line()).put("column", located.position().column());
        }
        node.put("message", violation.message()).put("fix", violation.fix()).put("text", violation.describe());
        // whether `hardening fix` applies it by itself, or a human must
        node.put("autofix", violation.autofix() != null);
        String exemption = OutputFormat.exemption(report, finding);
        if (!exemption.isEmpty()) {
            node.put("exemption", exemption);
        }
    }

    private static void where(ObjectNode node, Source source, Position position) {
        node.put("file", source.name());
        if (position.known()) {
            node.put("line", position.line()).put("column", position.column());
        }
    }
}
