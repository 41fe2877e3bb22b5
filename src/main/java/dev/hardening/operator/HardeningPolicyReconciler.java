package dev.hardening.operator;

import dev.hardening.HardeningConfig;
import dev.hardening.lifecycle.LeaderElection;
import dev.hardening.operator.audit.AuditLedger;
import dev.hardening.operator.audit.AuditMetrics;
import dev.hardening.operator.audit.AuditOutcome;
import dev.hardening.operator.audit.AuditTally;
import dev.hardening.operator.audit.NamespaceAudit;
import dev.hardening.operator.audit.AuditScope;
import dev.hardening.operator.audit.PolicyAuditor;
import dev.hardening.operator.reports.ReportWriter;
import dev.hardening.policy.CompiledPolicy;
import dev.hardening.policy.PolicyRef;
import dev.hardening.lifecycle.Leadership;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.HardeningPolicyStatus;
import dev.hardening.policy.PolicyCompiler;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    /** How soon to look again while the policy index has not listed the policies yet. */
    private static final Duration INDEX_NOT_SYNCED_RETRY = Duration.ofSeconds(1);

    private final PolicyAuditor auditor;
    private final InformerPolicyIndex index;
    private final PolicyEvents events;
    private final ReportWriter reports;
    private final AuditLedger ledger;
    private final AuditMetrics metrics;
    private final HardeningConfig config;
    private final Leadership leadership;
    private final Clock clock;
    private final ReportSweep sweep;
    private final ScanIndex scans;

    @Inject
    public HardeningPolicyReconciler(PolicyAuditor auditor, InformerPolicyIndex index, PolicyEvents events,
                                     ReportWriter reports, AuditLedger ledger, AuditMetrics metrics,
                                     HardeningConfig config, Leadership leadership, ScanIndex scans) {
        this.scans = scans;
        this.auditor = auditor;
        this.metrics = metrics;
        this.ledger = ledger;
        this.reports = reports;
        this.index = index;
        this.events = events;
        this.config = config;
        this.leadership = leadership;
        this.clock = Clock.systemUTC();
        this.sweep = new ReportSweep(index, reports, config);
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
        return List.of(leadershipGained, new WorkloadChanges(context.getClient(), index, ledger, reports, sweep, metrics,
                config, scans));
    }

    @Override
    public UpdateControl<HardeningPolicy> reconcile(HardeningPolicy policy, Context<HardeningPolicy> context) {
        if (!leadership.leading()) {
            // followers write nothing and schedule nothing: the leader does, and a new leader reconciles every policy
            return UpdateControl.noUpdate();
        }
        if (!index.ready()) {
            // the audit's scope (which namespaces have policies of their own) comes from the index
            return UpdateControl.<HardeningPolicy>noUpdate().rescheduleAfter(INDEX_NOT_SYNCED_RETRY);
        }
        PolicyCompiler.Compilation compilation = PolicyCompiler.compile(policy);
        ReportWriter.Run reportRun = compilation.valid() && reports.enabled() ? reports.begin(context.getClient(), policy) : null;
        AuditRun run = compilation.valid() ? audit(policy, compilation, context, reportRun) : null;
        AuditOutcome audit = run == null ? null : run.outcome();
        if (!leadership.leading()) {
            // the Lease went away during the audit: the new leader writes
            return UpdateControl.noUpdate();
        }
        Boolean vulnerabilityReports = compilation.valid() && compilation.policy().readsScans()
                ? scans.vulnerabilityReportsServed() : null;
        HardeningPolicyStatus status = PolicyStatusComputer.compute(policy, compilation, audit,
                reportRun == null ? null : reportRun.outcome(), vulnerabilityReports, clock.instant());
        if (reports.enabled() && (run == null || run.full())) {
            // after full audits only: a namespace re-audit changes no policy's scope
            // the controller's own cache already holds any policy being reconciled, and this one
            Set<String> existing = new HashSet<>();
            context.getPrimaryCache().list().forEach(p -> existing.add(p.ref().toString()));
            existing.add(policy.ref().toString());
            sweep.run(context.getClient(), existing::contains);
        }
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
                ? min(config.audit().retryAfterFailure(), config.audit().interval()) : untilNextFullAudit(policy.ref());
        return UpdateControl.patchStatus(patch).rescheduleAfter(next);
    }

    /**
     * Audits with the compiled policy admission enforces (from the index's snapshot) when the index has this
     * generation already, else with the one just compiled for the status: the same code either way. A full audit on
     * a spec change, every interval, and whenever the last one is not complete; in between, only the namespaces whose
     * workloads changed ({@link WorkloadChanges}), added to what the last full audit found in the others.
     */
    /** How an audit ended, and whether it was a full one (or a re-audit of changed namespaces). */
    private record AuditRun(AuditOutcome outcome, boolean full) {
    }

    private AuditRun audit(HardeningPolicy policy, PolicyCompiler.Compilation compilation,
                           Context<HardeningPolicy> context, ReportWriter.Run reportRun) {
        PolicySnapshot snapshot = index.snapshot();
        CompiledPolicy compiled = snapshot.policy(policy.ref()).filter(p -> p.generation() == policy.generation())
                .orElse(compilation.policy());
        AuditScope scope = AuditScope.of(compiled, config, snapshot.namespacesWithPolicies());
        PolicyRef ref = policy.ref();
        Instant now = clock.instant();
        List<String> changed = ledger.takeChanged(ref);
        Instant lastFull = ledger.fullAuditAt(ref);
        boolean full = changed.isEmpty() || !ledger.current(ref, policy.generation()) || lastFull == null
                || !now.isBefore(lastFull.plus(config.audit().interval()))
                || policy.getStatus() == null || policy.getStatus().getAudit() == null;
        AuditOutcome outcome;
        if (full) {
            Map<String, AuditTally> tallies = new HashMap<>();
            outcome = auditor.audit(context.getClient(), scope, now, reports.maxResults(), audited -> {
                tallies.put(audited.namespace(), audited.tally());
                write(reportRun, audited);
            });
            if (outcome instanceof AuditOutcome.Completed) {
                ledger.recordFull(ref, policy.generation(), now, tallies);
            }
        } else {
            changed.stream().filter(ns -> !scope.covers(ns)).forEach(ns -> ledger.replace(ref, ns, null));
            outcome = auditor.auditNamespaces(context.getClient(), scope, changed, now, reports.maxResults(), audited -> {
                ledger.replace(ref, audited.namespace(), audited.tally());
                write(reportRun, audited);
            });
            if (outcome instanceof AuditOutcome.Completed) {
                outcome = new AuditOutcome.Completed(ledger.total(ref).summary(now, scope.clusterDefault()));
                LOG.debugf("re-audited %s of HardeningPolicy %s", changed, ref);
            }
        }
        if (outcome instanceof AuditOutcome.Completed done) {
            metrics.policyAudited(ref.toString(), done.summary().getObjectsViolating(), now);
        }
        if (outcome instanceof AuditOutcome.Failed failed) {
            ledger.forget(ref);
            LOG.warnf("audit of HardeningPolicy %s failed (%s): %s", ref, failed.reason(), failed.message());
        }
        return new AuditRun(outcome, full);
    }

    private static void write(ReportWriter.Run run, NamespaceAudit audited) {
        if (run != null) {
            run.write(audited);
        }
    }

    /** The next full audit: an interval after the last one (re-audits of single namespaces do not move it). */
    private Duration untilNextFullAudit(PolicyRef ref) {
        Instant lastFull = ledger.fullAuditAt(ref);
        if (lastFull == null) {
            return config.audit().interval();
        }
        Duration left = Duration.between(clock.instant(), lastFull.plus(config.audit().interval()));
        return left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static ObjectMeta minimalMetadata(ObjectMeta metadata) {
        return new ObjectMetaBuilder().withName(metadata.getName()).withNamespace(metadata.getNamespace()).build();
    }
}
