package dev.hardening.webhook;

import dev.hardening.engine.Finding;
import dev.hardening.policy.PolicyRef;
import dev.hardening.rules.Violation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text users read: the denial message kubectl prints, the warnings it prints as {@code Warning: ...} lines,
 * and the audit annotations. Built only from {@link Violation} texts, which never carry a secret value.
 */
final class AdmissionMessages {

    /** Violation lines in one denial before "and N more": enough to fix a whole manifest, short enough to read. */
    static final int MAX_DENIAL_LINES = 25;
    /** kubectl shows each warning on its own line; the API server rejects longer ones. */
    static final int MAX_WARNING_LENGTH = 256;

    /** Warnings up to this length keep the fix; longer ones keep only what is wrong. */
    static final int SHORT_WARNING_LENGTH = 120;
    /** The API server drops warnings beyond this total size. */
    static final int MAX_WARNINGS_TOTAL = 4096;
    static final int MAX_AUDIT_VALUE_LENGTH = 1024;
    /** Last line of the denial of a Pod that claims to be a mirror pod without coming from its node. */
    static final String MIRROR_ANNOTATION_RESERVED = "The annotation " + MirrorPods.ANNOTATION
            + " is reserved for the kubelet: only the Pod's own node (user system:node:<spec.nodeName>) may create "
            + "mirror pods, so from anyone else it exempts nothing.";

    private AdmissionMessages() {
    }

    /**
     * One block per denying policy: a header naming kind, name and policy, then one line per violation.
     * <pre>Deployment "api" violates HardeningPolicy "payments/baseline" (3 problems):
     * - [image-digest] container "app": ...</pre>
     */
    static String denial(String kind, String name, List<Finding> denials) {
        Map<PolicyRef, List<Violation>> byPolicy = new LinkedHashMap<>();
        for (Finding finding : denials) {
            byPolicy.computeIfAbsent(finding.policy(), p -> new ArrayList<>()).add(finding.violation());
        }
        StringBuilder message = new StringBuilder(256);
        int linesLeft = MAX_DENIAL_LINES;
        for (Map.Entry<PolicyRef, List<Violation>> entry : byPolicy.entrySet()) {
            List<Violation> violations = entry.getValue();
            if (message.length() > 0) {
                message.append('\n');
            }
            message.append(kind).append(" \"").append(name).append("\" violates HardeningPolicy \"")
                    .append(entry.getKey()).append("\" (").append(violations.size())
                    .append(violations.size() == 1 ? " problem):" : " problems):");
            int shown = Math.min(violations.size(), Math.max(linesLeft, 0));
            for (int i = 0; i < shown; i++) {
                message.append("\n- ").append(violations.get(i).describe());
            }
            linesLeft -= shown;
            if (shown < violations.size()) {
                message.append("\n- and ").append(violations.size() - shown).append(" more");
            }
        }
        return message.toString();
    }

    /** One warning per distinct violation, each at most 256 characters, all together under 4096. */
    static List<String> warnings(List<Finding> warned) {
        // keyed by the full text: two long warnings may differ only after the cut
        Map<String, String> distinct = new LinkedHashMap<>();
        for (Finding finding : warned) {
            distinct.putIfAbsent(finding.violation().describe() + finding.downgrade(), warningText(finding));
        }
        List<String> warnings = new ArrayList<>(distinct.size());
        int total = 0;
        int index = 0;
        for (String warning : distinct.values()) {
            // keep room for the closing "and N more" line
            if (total + warning.length() > MAX_WARNINGS_TOTAL - 80) {
                warnings.add("and " + (distinct.size() - index) + " more hardening warnings (see kubectl describe hardeningpolicy)");
                break;
            }
            warnings.add(warning);
            total += warning.length();
            index++;
        }
        return warnings;
    }

    /** Keyed by rule id (the API server prefixes the webhook name); value lists where, per policy. */
    static Map<String, String> auditAnnotations(List<Finding> audited) {
        Map<String, StringBuilder> byRule = new LinkedHashMap<>();
        for (Finding finding : audited) {
            Violation v = finding.violation();
            StringBuilder value = byRule.computeIfAbsent(v.ruleId(), r -> new StringBuilder());
            if (value.length() > 0) {
                value.append("; ");
            }
            value.append(finding.policy()).append(": ");
            if (v.container() != null) {
                value.append("container \"").append(v.container()).append("\" ");
            }
            value.append(v.path());
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        byRule.forEach((rule, value) -> annotations.put(rule, truncate(value.toString(), MAX_AUDIT_VALUE_LENGTH)));
        return annotations;
    }

    /**
     * The denial line when it is short; otherwise only what is wrong (which names the container, and the field for
     * most rules) so that a terminal shows one line per warning. The downgrade note always survives the cut.
     */
    private static String warningText(Finding finding) {
        Violation violation = finding.violation();
        String note = finding.downgrade() == null ? "" : switch (finding.downgrade()) {
            case ALREADY_PRESENT -> " (already present; enforced once changed)";
            case MIRROR_POD -> " (mirror pod: not enforced)";
        };
        String full = violation.describe() + note;
        if (full.length() <= SHORT_WARNING_LENGTH) {
            return full;
        }
        StringBuilder what = new StringBuilder(160).append('[').append(violation.ruleId()).append("] ");
        if (violation.container() != null) {
            what.append("container \"").append(violation.container()).append("\": ");
        }
        what.append(violation.message());
        return truncate(what.toString(), MAX_WARNING_LENGTH - note.length()) + note;
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }
}
