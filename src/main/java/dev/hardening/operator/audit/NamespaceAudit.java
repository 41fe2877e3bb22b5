package dev.hardening.operator.audit;

import dev.hardening.policy.CompiledPolicy;
import dev.hardening.policy.PolicyViolation;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;

import java.time.Instant;
import java.util.List;
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

    public NamespaceAudit(CompiledPolicy policy, String namespace, Instant now) {
        this.policy = policy;
        this.namespace = namespace;
        this.now = now;
    }

    public String namespace() {
        return namespace;
    }

    public void add(WorkloadKind kind, HasMetadata object) {
        if (controlledByAuditedWorkload(object)) {
            return;
        }
        List<PolicyViolation> found = policy.evaluate(PodTarget.of(kind, object), now);
        tally.count(kind, namespace, object.getMetadata().getName(), violatedRules(found));
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

    static boolean controlledByAuditedWorkload(HasMetadata object) {
        List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
        if (owners == null) {
            return false;
        }
        for (OwnerReference owner : owners) {
            if (Boolean.TRUE.equals(owner.getController()) && WorkloadKind.ofKind(owner.getKind())
                    .filter(k -> k != WorkloadKind.POD && k != WorkloadKind.POD_TEMPLATE).isPresent()) {
                return true;
            }
        }
        return false;
    }
}
