package dev.hardening.operator;

import dev.hardening.HardeningConfig;
import dev.hardening.lifecycle.LeaderElection;
import dev.hardening.policy.AuditSummary;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.HardeningPolicyStatus;
import dev.hardening.policy.PolicyCompiler;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * Writes each HardeningPolicy's status: validity and effective rules, exemption counts, and a background audit of the
 * existing workloads it covers, re-run on every spec change and every {@code hardening.audit.interval}. Runs on the
 * leader only (Lease {@value LeaderElection#LEASE_NAME}); admission never waits for it: every replica compiles
 * policies itself in {@link InformerPolicyIndex}.
 */
@ControllerConfiguration(name = HardeningPolicyReconciler.NAME)
public class HardeningPolicyReconciler implements Reconciler<HardeningPolicy> {

    public static final String NAME = "hardeningpolicy";
    private static final Logger LOG = Logger.getLogger(HardeningPolicyReconciler.class);

    private final WorkloadAudit audit;
    private final PolicyEvents events;
    private final HardeningConfig config;
    private final Clock clock;

    @Inject
    public HardeningPolicyReconciler(WorkloadAudit audit, PolicyEvents events, HardeningConfig config) {
        this.audit = audit;
        this.events = events;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    @Override
    public UpdateControl<HardeningPolicy> reconcile(HardeningPolicy policy, Context<HardeningPolicy> context) {
        PolicyCompiler.Compilation compilation = PolicyCompiler.compile(policy);
        AuditSummary summary = compilation.valid() ? auditOrPrevious(policy, compilation, context) : null;
        HardeningPolicyStatus status = PolicyStatusComputer.compute(policy, compilation, summary, clock.instant());
        int before = PolicyStatusComputer.violations(policy.getStatus());
        int after = PolicyStatusComputer.violations(status);
        if (after >= 0 && after != before) {
            events.violationsChanged(context.getClient(), policy, before, after);
        }
        LOG.debugf("HardeningPolicy %s: %s", policy.ref(), status.getConditions().get(0));
        // observedGeneration is set by hand (JOSDK 5 dropped ObservedGenerationAware); patch only the status, from
        // an object holding nothing else, so that no stale spec or metadata is ever sent back
        HardeningPolicy patch = new HardeningPolicy();
        patch.setMetadata(minimalMetadata(policy.getMetadata()));
        patch.setSpec(null);
        patch.setStatus(status);
        return UpdateControl.patchStatus(patch).rescheduleAfter(config.audit().interval());
    }

    /** A failed audit (API unavailable, RBAC) must not hold back the rest of the status: keep the last summary. */
    private AuditSummary auditOrPrevious(HardeningPolicy policy, PolicyCompiler.Compilation compilation,
                                         Context<HardeningPolicy> context) {
        try {
            return audit.audit(context.getClient(), compilation.policy());
        } catch (KubernetesClientException e) {
            LOG.warnf("audit for HardeningPolicy %s failed, keeping the previous summary: %s", policy.ref(), e.getMessage());
            return policy.getStatus() == null ? null : policy.getStatus().getAudit();
        }
    }

    private static ObjectMeta minimalMetadata(ObjectMeta metadata) {
        return new ObjectMetaBuilder().withName(metadata.getName()).withNamespace(metadata.getNamespace()).build();
    }
}
