package dev.hardening.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hardening.engine.EffectiveRule;
import dev.hardening.engine.Finding;
import dev.hardening.engine.FindingVerdict;
import dev.hardening.rules.Profile;
import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleCatalogue;
import dev.hardening.rules.RuleReference;
import dev.hardening.rules.Violation;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SARIF 2.1.0 for code scanning: one result per finding at the line and column of the offending field (the nearest
 * existing parent of a missing one), rule metadata from the catalogue with the docs/rules.md entry as help. Deny is
 * {@code error}, warn {@code warning}, audit {@code note}; an exempt finding is reported as suppressed with the
 * exemption's reason, so it shows as dismissed instead of vanishing.
 */
final class SarifFormat implements OutputFormat.Writer {

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    /** Where the rule reference is published; each rule is an anchor of it. */
    static final String RULES_URL = "https://hardening.dev/docs/rules.md";
    private static final String SRCROOT = "%SRCROOT%";

    @Override
    public void write(CheckReport report, CheckReport.FailOn failOn, PrintStream out) {
        ObjectNode log = JsonFormat.MAPPER.createObjectNode();
        log.put("$schema", SCHEMA).put("version", "2.1.0");
        ObjectNode run = log.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "hardening").put("semanticVersion", HardeningCli.version()).put("informationUri", RULES_URL);
        Map<String, Integer> ruleIndex = rules(report, driver.putArray("rules"));
        run.putObject("originalUriBaseIds").putObject(SRCROOT)
                .put("uri", Path.of("").toAbsolutePath().toUri().toString());
        run.put("columnKind", "unicodeCodePoints");
        ArrayNode results = run.putArray("results");
        for (CheckReport.CheckedObject object : report.objects()) {
            for (CheckReport.Located located : object.findings()) {
                result(results.addObject(), report, object, located, ruleIndex);
            }
        }
        try {
            out.println(JsonFormat.MAPPER.writeValueAsString(log));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the SARIF report", e);
        }
    }

    /** Every rule a policy evaluates, in catalogue order; returns each id's index. */
    private static Map<String, Integer> rules(CheckReport report, ArrayNode rules) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (Rule rule : RuleCatalogue.all()) {
            boolean evaluated = report.policies().stream().flatMap(p -> p.compiled().rules().stream())
                    .map(EffectiveRule::rule).anyMatch(r -> r.id().equals(rule.id()));
            if (!evaluated) {
                continue;
            }
            index.put(rule.id(), index.size());
            ObjectNode node = rules.addObject();
            node.put("id", rule.id()).put("name", rule.title());
            node.putObject("shortDescription").put("text", rule.title());
            node.putObject("fullDescription").put("text", rule.description());
            node.putObject("help").put("text", rule.remediation()).put("markdown", RuleReference.entry(rule));
            node.put("helpUri", RULES_URL + "#" + rule.id());
            node.putObject("defaultConfiguration").put("level", "error");
            ArrayNode tags = node.putObject("properties").putArray("tags");
            tags.add("security").add("kubernetes");
            RuleCatalogue.profilesOf(rule).stream().filter(p -> p != Profile.None).map(Profile::displayName).forEach(tags::add);
        }
        return index;
    }

    private static void result(ObjectNode result, CheckReport report, CheckReport.CheckedObject object,
                               CheckReport.Located located, Map<String, Integer> ruleIndex) {
        Finding finding = located.finding();
        Violation violation = finding.violation();
        result.put("ruleId", violation.ruleId()).put("ruleIndex", ruleIndex.get(violation.ruleId()));
        result.put("kind", "fail").put("level", level(finding));
        result.putObject("message").put("text", violation.describe());
        ObjectNode location = result.putArray("locations").addObject();
        ObjectNode physical = location.putObject("physicalLocation");
        artifact(physical.putObject("artifactLocation"), object.source());
        if (located.position().known()) {
            physical.putObject("region").put("startLine", located.position().line())
                    .put("startColumn", located.position().column());
        }
        location.putArray("logicalLocations").addObject().put("kind", "resource")
                .put("fullyQualifiedName", object.displayName() + "/" + violation.path())
                .put("name", violation.path());
        result.putObject("partialFingerprints").put("hardeningFinding/v1", fingerprint(object, violation));
        if (finding.outcome() == FindingVerdict.EXEMPT) {
            result.putArray("suppressions").addObject().put("kind", "external").put("status", "accepted")
                    .put("justification", OutputFormat.exemption(report, finding));
        }
        ObjectNode properties = result.putObject("properties");
        properties.put("policy", report.policyName(finding.policy())).put("mode", finding.mode().name())
                .put("outcome", OutputFormat.outcome(finding)).put("object", object.displayName());
        if (violation.container() != null) {
            properties.put("container", violation.container());
        }
    }

    /** An exempt finding keeps the level of its mode: the suppression, not the level, says it is accepted. */
    private static String level(Finding finding) {
        return switch (finding.mode()) {
            case Enforce -> finding.outcome() == FindingVerdict.WARN ? "warning" : "error";
            case Warn -> "warning";
            default -> "note";
        };
    }

    /** Relative to the working directory when the file is below it (code scanning resolves it in the checkout). */
    private static void artifact(ObjectNode artifact, Source source) {
        if (source.file() == null) {
            artifact.put("uri", "stdin");
            return;
        }
        Path absolute = source.file().toAbsolutePath().normalize();
        Path root = Path.of("").toAbsolutePath();
        if (absolute.startsWith(root)) {
            List<String> parts = new ArrayList<>();
            root.relativize(absolute).forEach(p -> parts.add(p.toString()));
            URI relative = URI.create("");
            try {
                relative = new URI(null, null, String.join("/", parts), null);
            } catch (java.net.URISyntaxException e) {
                // a name the URI grammar cannot hold even quoted: keep the absolute file URI below
            }
            if (!relative.toString().isEmpty()) {
                artifact.put("uri", relative.toString()).put("uriBaseId", SRCROOT);
                return;
            }
        }
        artifact.put("uri", absolute.toUri().toString());
    }

    /** Stable across runs and line moves: the object, the rule and the field. */
    private static String fingerprint(CheckReport.CheckedObject object, Violation violation) {
        String key = object.kind() + "/" + object.namespace() + "/" + object.name() + "|" + violation.ruleId() + "|" + violation.path();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
