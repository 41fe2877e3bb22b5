package dev.hardening.operator;

import dev.hardening.HardeningConfig;
import dev.hardening.lifecycle.LeaderElection;
import dev.hardening.operator.audit.AuditOutcome;
import dev.hardening.operator.audit.AuditScope;
import dev.hardening.operator.audit.PolicyAuditor;
import dev.hardening.policy.CompiledPolicy;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.HardeningPolicyStatus;
import dev.hardening.policy.PolicyCompiler;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;

/**
 * Writes each HardeningPolicy's status: validity and effective rules, exemption counts, and a background audit of the
 * existing workloads it covers, re-run on every spec change and every {@code hardening.audit.interval}. Runs on the
 * leader only (Lease {@value LeaderElection#LEASE_NAME}); admission never waits for it: every replica compiles
 * policies itself in {@link InformerPolicyIndex}, and the audit evaluates the very policy objects admission uses.
 */
@ControllerConfiguration(name = HardeningPolicyReconciler.NAME)
public class HardeningPolicyReconciler implements Reconciler<HardeningPolicy> {

    public static final String NAME = "hardeningpolicy";
    private static final Logger LOG = Logger.getLogger(HardeningPolicyReconciler.class);
    /** How soon to look again while the policy index has not listed the policies yet. */
    private static final Duration INDEX_NOT_SYNCED_RETRY = Duration.ofSeconds(1);

    private final PolicyAuditor auditor;
    private final InformerPolicyIndex index;
    private final PolicyEvents events;
    private final HardeningConfig config;
    private final Clock clock;

    @Inject
    public HardeningPolicyReconciler(PolicyAuditor auditor, InformerPolicyIndex index, PolicyEvents events,
                                     HardeningConfig config) {
        this.auditor = auditor;
        this.index = index;
        this.events = events;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    @Override
    public UpdateControl<HardeningPolicy> reconcile(HardeningPolicy policy, Context<HardeningPolicy> context) {
        if (!index.ready()) {
            // the audit's scope (which namespaces have policies of their own) comes from the index
            return UpdateControl.<HardeningPolicy>noUpdate().rescheduleAfter(INDEX_NOT_SYNCED_RETRY);
        }
        PolicyCompiler.Compilation compilation = PolicyCompiler.compile(policy);
        AuditOutcome audit = compilation.valid() ? audit(policy, compilation, context) : null;
        HardeningPolicyStatus status = PolicyStatusComputer.compute(policy, compilation, audit, clock.instant());
        int before = PolicyStatusComputer.violations(policy.getStatus());
        int after = PolicyStatusComputer.violations(status);
        if (after >= 0 && after != before) {
            events.violationsChanged(context.getClient(), policy, before, after);
        }
        LOG.debugf("HardeningPolicy %s: %s", policy.ref(), status.getConditions());
        // observedGeneration is set by hand (JOSDK 5 dropped ObservedGenerationAware); patch only the status, from
        // an object holding nothing else, so that no stale spec or metadata is ever sent back
        HardeningPolicy patch = new HardeningPolicy();
        patch.setMetadata(minimalMetadata(policy.getMetadata()));
        patch.setSpec(null);
        patch.setStatus(status);
        Duration next = audit instanceof AuditOutcome.Failed
                ? min(config.audit().retryAfterFailure(), config.audit().interval()) : config.audit().interval();
        return UpdateControl.patchStatus(patch).rescheduleAfter(next);
    }

    /**
     * Audits with the compiled policy admission enforces (from the index's snapshot) when the index has this
     * generation already, else with the one just compiled for the status: the same code either way.
     */
    private AuditOutcome audit(HardeningPolicy policy, PolicyCompiler.Compilation compilation,
                               Context<HardeningPolicy> context) {
        PolicySnapshot snapshot = index.snapshot();
        CompiledPolicy compiled = snapshot.policy(policy.ref()).filter(p -> p.generation() == policy.generation())
                .orElse(compilation.policy());
        AuditScope scope = AuditScope.of(compiled, config.namespace(), config.webhook().excludedNamespaces(),
                snapshot.namespacesWithPolicies());
        AuditOutcome outcome = auditor.audit(context.getClient(), scope, clock.instant());
        if (outcome instanceof AuditOutcome.Failed failed) {
            LOG.warnf("audit of HardeningPolicy %s failed (%s): %s", policy.ref(), failed.reason(), failed.message());
        }
        return outcome;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static ObjectMeta minimalMetadata(ObjectMeta metadata) {
        return new ObjectMetaBuilder().withName(metadata.getName()).withNamespace(metadata.getNamespace()).build();
    }
}
