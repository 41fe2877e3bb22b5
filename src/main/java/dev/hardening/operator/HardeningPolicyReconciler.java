package dev.hardening.operator;

import dev.hardening.HardeningConfig;
import dev.hardening.lifecycle.LeaderElection;
import dev.hardening.lifecycle.Leadership;
import dev.hardening.policy.AuditSummary;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.HardeningPolicyStatus;
import dev.hardening.policy.PolicyCompiler;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;

/**
 * Writes each HardeningPolicy's status: validity and effective rules, exemption counts, and a background audit of the
 * existing workloads it covers, re-run on every spec change and every {@code hardening.audit.interval}.
 *
 * <p>The controller runs on every replica (its informer is cheap), but only the leader (Lease
 * {@value LeaderElection#LEASE}) audits and writes: a follower's reconcile returns without a write and without a
 * reschedule. When a replica gains the Lease every policy is reconciled again, so whatever happened while nobody led
 * (an API-server outage, a killed leader) is caught up. Admission never waits for any of it: every replica compiles
 * policies itself in {@link InformerPolicyIndex}.
 */
@ControllerConfiguration(name = HardeningPolicyReconciler.NAME)
public class HardeningPolicyReconciler implements Reconciler<HardeningPolicy> {

    public static final String NAME = "hardeningpolicy";
    private static final Logger LOG = Logger.getLogger(HardeningPolicyReconciler.class);

    private final WorkloadAudit audit;
    private final PolicyEvents events;
    private final HardeningConfig config;
    private final Leadership leadership;
    private final Clock clock;

    @Inject
    public HardeningPolicyReconciler(WorkloadAudit audit, PolicyEvents events, HardeningConfig config, Leadership leadership) {
        this.audit = audit;
        this.events = events;
        this.config = config;
        this.leadership = leadership;
        this.clock = Clock.systemUTC();
    }

    /**
     * On gaining the Lease, every cached policy is reconciled again. Before the controller has started there is
     * nothing to catch up: its first sync reconciles every policy anyway (the operator SDK starts the policies'
     * informer before any other event source).
     */
    @Override
    public List<EventSource<?, HardeningPolicy>> prepareEventSources(EventSourceContext<HardeningPolicy> context) {
        SimpleInboundEventSource<HardeningPolicy> leadershipGained = new SimpleInboundEventSource<>("leadership");
        leadership.register(() -> {
            if (leadershipGained.isRunning()) {
                context.getPrimaryCache().list()
                        .forEach(policy -> leadershipGained.propagateEvent(ResourceID.fromResource(policy)));
            }
        });
        return List.of(leadershipGained);
    }

    @Override
    public UpdateControl<HardeningPolicy> reconcile(HardeningPolicy policy, Context<HardeningPolicy> context) {
        if (!leadership.leading()) {
            return UpdateControl.noUpdate();
        }
        PolicyCompiler.Compilation compilation = PolicyCompiler.compile(policy);
        AuditSummary summary = compilation.valid() ? auditOrPrevious(policy, compilation, context) : null;
        if (!leadership.leading()) {
            // the Lease went away during the audit: the new leader writes
            return UpdateControl.noUpdate();
        }
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
