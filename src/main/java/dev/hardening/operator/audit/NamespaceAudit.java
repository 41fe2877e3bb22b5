package dev.hardening.operator.audit;

import dev.hardening.engine.CompiledPolicy;
import dev.hardening.engine.PolicyViolation;
import dev.hardening.policy.RuleMode;
import dev.hardening.rules.CoverageTarget;
import dev.hardening.rules.NetworkPolicies;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.ScanLookup;
import dev.hardening.rules.Target;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The audit of one namespace against one policy, fed one object at a time as the pages of the lists arrive, so that
 * no list is ever held whole. Evaluates with {@link CompiledPolicy#evaluate} (exemptions applied, as at admission).
 * Pure.
 *
 * <p>An object controlled by another pod-template workload (a Pod of a ReplicaSet, a ReplicaSet of a Deployment, a
 * Job of a CronJob) is skipped: its controller's template is audited, and counting both would report one problem
 * two or three times. Bare Pods and Pods of controllers we do not know are audited themselves.
 */
public final class NamespaceAudit {

    private final CompiledPolicy policy;
    private final String namespace;
    private final Instant now;
    private final AuditTally tally = new AuditTally();
    private final int maxResults;
    /** The namespace's NetworkPolicies, or null when the policy judges no coverage. */
    private final NetworkPolicies networkPolicies;
    private final ScanLookup scans;
    /** The first {@link #maxResults} report results by {@link ReportResult#ORDER}: a report's size is bounded. */
    private final TreeSet<ReportResult> results = new TreeSet<>(ReportResult.ORDER);
    private int pass;
    private int fail;
    private int warn;
    private int skip;

    public NamespaceAudit(CompiledPolicy policy, String namespace, Instant now) {
        this(policy, namespace, now, 0);
    }

    /** @param maxResults report results kept (0: none, reports are off); the summary counts stay exact */
    public NamespaceAudit(CompiledPolicy policy, String namespace, Instant now, int maxResults) {
        this(policy, namespace, now, maxResults, null);
    }

    /** @param networkPolicies the namespace's NetworkPolicies, for coverage; null to judge none */
    public NamespaceAudit(CompiledPolicy policy, String namespace, Instant now, int maxResults,
                          NetworkPolicies networkPolicies) {
        this(policy, namespace, now, maxResults, networkPolicies, ScanLookup.NONE);
    }

    /** @param scans the scans known, for image-vulnerabilities and image-scanned (as at admission) */
    public NamespaceAudit(CompiledPolicy policy, String namespace, Instant now, int maxResults,
                          NetworkPolicies networkPolicies, ScanLookup scans) {
        this.scans = scans;
        this.policy = policy;
        this.namespace = namespace;
        this.now = now;
        this.maxResults = maxResults;
        this.networkPolicies = networkPolicies;
    }

    public String namespace() {
        return namespace;
    }

    public void add(WorkloadKind kind, HasMetadata object) {
        if (controlledByAuditedWorkload(kind, object)) {
            return;
        }
        Target target = kind.target(object);
        List<PolicyViolation> found = policy.evaluate(target, now, scans);
        if (networkPolicies != null && target instanceof PodTarget workload) {
            found = new ArrayList<>(found);
            found.addAll(policy.evaluate(new CoverageTarget(workload, namespace, networkPolicies), now, scans));
        }
        tally.count(kind, namespace, object.getMetadata().getName(), violatedRules(found));
        Map<String, List<PolicyViolation>> byRule = new LinkedHashMap<>();
        found.forEach(v -> byRule.computeIfAbsent(v.violation().ruleId(), r -> new ArrayList<>()).add(v));
        if (byRule.isEmpty()) {
            pass++;
            return;
        }
        byRule.forEach((rule, violations) -> result(kind, object, rule, violations));
    }

    private void result(WorkloadKind kind, HasMetadata object, String rule, List<PolicyViolation> violations) {
        List<PolicyViolation> open = violations.stream().filter(v -> !v.exempt()).toList();
        String result;
        PolicyViolation shown;
        if (open.isEmpty()) {
            result = ReportResult.SKIP;
            shown = violations.get(0);
            skip++;
        } else {
            shown = open.get(0);
            result = shown.mode() == RuleMode.Enforce ? ReportResult.FAIL : ReportResult.WARN;
            if (result.equals(ReportResult.FAIL)) {
                fail++;
            } else {
                warn++;
            }
        }
        if (maxResults == 0) {
            return;
        }
        int more = (open.isEmpty() ? violations.size() : open.size()) - 1;
        String message = shown.violation().path() + ": " + shown.violation().message() + "; " + shown.violation().fix()
                + (more > 0 ? " (and " + more + " more)" : "")
                + shown.exemption().filter(e -> open.isEmpty())
                        .map(e -> " (exempted by spec.exemptions[" + e.index() + "]: " + e.reason() + ")").orElse("");
        results.add(new ReportResult(kind.ordinal(), object.getApiVersion(), kind.kind(), namespace,
                object.getMetadata().getName(), object.getMetadata().getUid(), rule, result, shown.mode().name(), message));
        if (results.size() > maxResults) {
            results.pollLast();
        }
    }

    /** Report results, at most {@code maxResults}, in {@link ReportResult#ORDER}. */
    public List<ReportResult> results() {
        return List.copyOf(results);
    }

    /** Exact counts, even when results are capped: compliant objects (pass) and results by kind. */
    public ReportCounts counts() {
        return new ReportCounts(pass, fail, warn, skip);
    }

    /** The OpenReports summary: pass counts compliant objects, fail, warn and skip count results (object and rule). */
    public record ReportCounts(int pass, int fail, int warn, int skip) {
        public int results() {
            return fail + warn + skip;
        }
    }

    public AuditTally tally() {
        return tally;
    }

    /** Rule ids with at least one violation no unexpired exemption covers, in any mode (Audit and Warn count too). */
    static Set<String> violatedRules(List<PolicyViolation> found) {
        Set<String> rules = new TreeSet<>();
        for (PolicyViolation violation : found) {
            if (!violation.exempt()) {
                rules.add(violation.violation().ruleId());
            }
        }
        return rules;
    }

    /**
     * Left to its owner: the object's built-in controller derives it from the owner's template (the engine's owner
     * table, the same that admission trusts), so counting both would report one problem two or three times.
     */
    public static boolean controlledByAuditedWorkload(WorkloadKind kind, HasMetadata object) {
        return kind.controlledByOwnerOfTemplate(object.getMetadata().getOwnerReferences());
    }
}
