package dev.hardening.operator;

import dev.hardening.HardeningConfig;
import dev.hardening.index.InformerPolicyIndex;
import dev.hardening.index.PolicySnapshot;
import dev.hardening.operator.audit.AuditScope;
import dev.hardening.operator.reports.ReportWriter;
import dev.hardening.policy.PolicyRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.util.function.Predicate;

/**
 * Deletes the reports no policy writes any more: their policy is gone, or no longer covers that namespace (per the
 * index, as admission sees it). Run by the reconciler after a full audit and by {@link WorkloadChanges} after a policy
 * is deleted (no reconciliation runs then); each says how it knows which policies exist. A failure is logged: the next
 * run sweeps again.
 */
final class ReportSweep {

    private static final Logger LOG = Logger.getLogger(ReportSweep.class);

    private final InformerPolicyIndex index;
    private final ReportWriter reports;
    private final HardeningConfig config;

    ReportSweep(InformerPolicyIndex index, ReportWriter reports, HardeningConfig config) {
        this.index = index;
        this.reports = reports;
        this.config = config;
    }

    /** {@code policyExists} gets the policy reference a report names, e.g. {@code team-a/hardened}. */
    void run(KubernetesClient client, Predicate<String> policyExists) {
        PolicySnapshot snapshot = index.snapshot();
        try {
            int deleted = reports.sweep(client, (ref, namespace) -> policyExists.test(ref)
                    && snapshot.policy(PolicyRef.parse(ref)).map(p -> AuditScope.of(p, config,
                            snapshot.namespacesWithPolicies()).covers(namespace)).orElse(true));
            if (deleted > 0) {
                LOG.infof("deleted %d reports that no policy writes any more", deleted);
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot clean up old reports: %s", e.getMessage());
        }
    }
}
