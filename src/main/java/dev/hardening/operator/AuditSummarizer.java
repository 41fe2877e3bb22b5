package dev.hardening.operator;

import dev.hardening.policy.AuditExample;
import dev.hardening.policy.AuditSummary;
import dev.hardening.policy.CompiledPolicy;
import dev.hardening.policy.PolicyViolation;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Violation;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Evaluates existing objects against a compiled policy (exemptions applied, as at admission) and keeps only a
 * bounded summary. Pure.
 *
 * <p>An object controlled by the pod-template workload whose built-in controller derives it (a Pod of a ReplicaSet,
 * StatefulSet, DaemonSet, Job or ReplicationController, a ReplicaSet of a Deployment, a Job of a CronJob: the table
 * {@link WorkloadKind#controllerOwners()} that admission trusts too) is skipped: its controller's template is
 * audited, and counting both would report one problem two or three times. Bare Pods and Pods of controllers we do
 * not know are audited themselves.
 */
public final class AuditSummarizer {

    private AuditSummarizer() {
    }

    public record AuditedObject(WorkloadKind kind, HasMetadata object) {
    }

    /**
     * @param qualifyNames name examples {@code namespace/name}: the cluster default's objects span namespaces
     */
    public static AuditSummary summarize(List<AuditedObject> objects, CompiledPolicy policy, Instant now,
                                         boolean qualifyNames) {
        List<AuditedObject> sorted = new ArrayList<>(objects);
        sorted.sort(Comparator.comparing((AuditedObject o) -> o.kind().ordinal())
                .thenComparing(o -> o.object().getMetadata().getNamespace(), Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(o -> o.object().getMetadata().getName()));
        int checked = 0;
        int violating = 0;
        Map<String, Integer> byRule = new TreeMap<>();
        List<AuditExample> examples = new ArrayList<>();
        for (AuditedObject audited : sorted) {
            if (controlledByAuditedWorkload(audited.kind(), audited.object())) {
                continue;
            }
            checked++;
            Set<String> rules = violatedRules(PodTarget.of(audited.kind(), audited.object()), policy, now);
            if (rules.isEmpty()) {
                continue;
            }
            violating++;
            rules.forEach(rule -> byRule.merge(rule, 1, Integer::sum));
            if (examples.size() < AuditSummary.MAX_EXAMPLES) {
                examples.add(new AuditExample(audited.kind().kind(), displayName(audited.object(), qualifyNames), rules.iterator().next()));
            }
        }
        AuditSummary summary = new AuditSummary();
        summary.setObjectsChecked(checked);
        summary.setObjectsViolating(violating);
        summary.setViolationsByRule(byRule);
        summary.setExamples(examples);
        summary.setLastAuditTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
        return summary;
    }

    /** Rule ids with at least one violation no unexpired exemption covers, in any mode (Audit and Warn count too). */
    static Set<String> violatedRules(PodTarget target, CompiledPolicy policy, Instant now) {
        Set<String> rules = new TreeSet<>();
        for (PolicyViolation found : policy.evaluate(target, now)) {
            if (!found.exempt()) {
                rules.add(found.violation().ruleId());
            }
        }
        return rules;
    }

    static boolean controlledByAuditedWorkload(WorkloadKind kind, HasMetadata object) {
        return kind.controlledByOwnerOfTemplate(object.getMetadata().getOwnerReferences());
    }

    private static String displayName(HasMetadata object, boolean qualify) {
        return qualify ? object.getMetadata().getNamespace() + "/" + object.getMetadata().getName()
                : object.getMetadata().getName();
    }
}
