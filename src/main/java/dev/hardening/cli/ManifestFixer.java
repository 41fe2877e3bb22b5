package dev.hardening.cli;

import dev.hardening.cli.fix.UnfixableException;
import dev.hardening.cli.fix.YamlEditor;
import dev.hardening.cli.fix.YamlNodes;
import dev.hardening.engine.Finding;
import dev.hardening.engine.FindingVerdict;
import dev.hardening.rules.Autofix;
import dev.hardening.rules.Violation;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fixes one source: checks it, applies the {@link Autofix} of the first finding that has one in each document as a
 * text edit, and checks again, until no finding with an autofix is left. One edit per document and round keeps every
 * edit on a freshly parsed text (a container without a securityContext gets one, the next fix adds to it). What remains is the check of the
 * fixed text: the findings a human has to decide, and the autofixes that could not be applied, with why.
 */
final class ManifestFixer {

    /** A file with more fixes than this is not a manifest someone wrote; stops a fix that keeps coming back. */
    private static final int MAX_ROUNDS = 10_000;

    /** The fixed text, how many fixes it got, and the check of the fixed text. */
    record Result(Source source, String text, int applied, CheckReport report, Map<String, String> unapplied) {

        boolean changed() {
            return !text.equals(source.text());
        }

        /** Why the autofix of this finding was not applied, or null when it has none (a human decides). */
        String unapplied(CheckReport.CheckedObject object, Violation violation) {
            return unapplied.get(key(report.objects().indexOf(object), object, violation));
        }
    }

    private final List<CheckPolicy> policies;
    private final Instant now;
    private final ManifestParser parser = new ManifestParser();

    ManifestFixer(List<CheckPolicy> policies, Instant now) {
        this.policies = policies;
        this.now = now;
    }

    Result fix(Source source) throws InputException {
        String text = source.text();
        Map<String, String> unapplied = new LinkedHashMap<>();
        Set<String> tried = new HashSet<>();
        int applied = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Candidate> batch = next(source, text, unapplied);
            if (batch.isEmpty()) {
                break;
            }
            List<YamlEditor.Replacement> edits = new ArrayList<>();
            for (Candidate next : batch) {
                if (!tried.add(next.key)) {
                    unapplied.put(next.key, "the edit did not fix it");
                    continue;
                }
                try {
                    List<YamlEditor.Replacement> edit = YamlEditor.edits(text, next.node, next.autofix);
                    if (edit.isEmpty()) {
                        unapplied.put(next.key, "nothing to edit");
                    } else {
                        edits.addAll(edit);
                        applied++;
                    }
                } catch (UnfixableException e) {
                    unapplied.put(next.key, e.getMessage());
                }
            }
            text = YamlEditor.applyAll(text, edits);
        }
        return new Result(source, text, applied, check(source, text).report, unapplied);
    }

    private record Candidate(String key, Node node, Autofix autofix) {
    }

    private record Checked(CheckReport report, Map<CheckReport.CheckedObject, Node> nodes,
                           Map<CheckReport.CheckedObject, Integer> documents) {
    }

    /**
     * Per document, the first finding with an autofix not yet known to fail: documents never share text, so their
     * edits go into one round, and a stream of many documents takes as many rounds as its most-fixed document.
     */
    private List<Candidate> next(Source source, String text, Map<String, String> failed) throws InputException {
        Checked checked = check(source, text);
        Map<Integer, Candidate> byDocument = new LinkedHashMap<>();
        List<CheckReport.CheckedObject> objects = checked.report.objects();
        for (int i = 0; i < objects.size(); i++) {
            CheckReport.CheckedObject object = objects.get(i);
            if (byDocument.containsKey(checked.documents.get(object))) {
                continue;
            }
            for (CheckReport.Located located : object.findings()) {
                Finding finding = located.finding();
                Violation violation = finding.violation();
                // an exemption is a human's decision to keep it as it is
                if (violation.autofix() == null || finding.outcome() == FindingVerdict.EXEMPT) {
                    continue;
                }
                String key = key(i, object, violation);
                Node node = checked.nodes.get(object);
                if (node == null) {
                    failed.putIfAbsent(key, "this input cannot be edited as YAML text");
                } else if (!failed.containsKey(key)) {
                    byDocument.put(checked.documents.get(object), new Candidate(key, node, violation.autofix()));
                    break;
                }
            }
        }
        return List.copyOf(byDocument.values());
    }

    /** The check of {@code text} and, for each object, the parser node it starts at. */
    private Checked check(Source source, String text) throws InputException {
        Source current = new Source(source.name(), source.file(), text, true);
        CheckReport report = new CheckReport(policies, now);
        ObjectChecker checker = new ObjectChecker(policies, now);
        List<Document> documents = parser.parse(current);
        List<Node> nodes;
        try {
            nodes = YamlNodes.compose(text);
        } catch (YAMLException e) {
            // JSON that YAML does not read (tabs): checked, but not edited
            nodes = List.of();
        }
        Map<CheckReport.CheckedObject, Node> nodeOf = new LinkedHashMap<>();
        Map<CheckReport.CheckedObject, Integer> documentOf = new LinkedHashMap<>();
        for (Document document : documents) {
            int before = report.objects().size();
            checker.check(document, report);
            List<Node> candidates = document.index() < nodes.size() && nodes.get(document.index()) != null
                    ? YamlNodes.objects(nodes.get(document.index())) : List.of();
            for (CheckReport.CheckedObject object : report.objects().subList(before, report.objects().size())) {
                documentOf.put(object, document.index());
                for (Node candidate : candidates) {
                    int[] start = YamlNodes.start(candidate);
                    if (Arrays.equals(start, new int[] {object.position().line(), object.position().column()})) {
                        nodeOf.put(object, candidate);
                    }
                }
            }
        }
        return new Checked(report, nodeOf, documentOf);
    }

    /** A finding across rounds: its object (which one of the source, kind and name), rule, field and problem. */
    private static String key(int ordinal, CheckReport.CheckedObject object, Violation violation) {
        return ordinal + " " + object.displayName() + " " + violation.ruleId() + " " + violation.path() + " "
                + violation.message();
    }
}
