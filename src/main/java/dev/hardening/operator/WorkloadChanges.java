package dev.hardening.operator;

import dev.hardening.index.ScanIndex;
import dev.hardening.HardeningConfig;
import dev.hardening.engine.CompiledPolicy;
import dev.hardening.index.InformerPolicyIndex;
import dev.hardening.index.PolicySnapshot;
import dev.hardening.operator.audit.AuditLedger;
import dev.hardening.operator.audit.AuditMetrics;
import dev.hardening.operator.audit.AuditScope;
import dev.hardening.operator.reports.ReportWriter;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.PolicyRef;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fresh counts: a workload (or a NetworkPolicy) created, changed or deleted in an audited namespace leads to a re-audit
 * of that namespace alone within seconds, so that {@code kubectl get hp}, status and reports agree with what was just applied.
 *
 * <p>Why watches on the leader rather than a signal from the webhook: admission lands on any replica and happens
 * before the object is stored (or denied, or a dry run), while the leader's watch sees what was actually stored,
 * including fixes and deletions, and needs no traffic between replicas. The watches keep no cache (an informer of
 * every Pod would hold them all in memory): each event is looked at and dropped. Pod updates (status churn) and
 * objects controlled by an audited workload are ignored, as the audit ignores them.
 *
 * <p>Bounded in rate: a namespace is re-audited once its events have been quiet for {@code debounce}, and at most once
 * per {@code minInterval}; the set of waiting namespaces is bounded by the number of namespaces. A JOSDK event source:
 * it runs while this replica's controller runs (the leader), and triggers the policy's reconciliation, the only writer.
 * It also sweeps reports after a policy is deleted (no reconciliation runs then).
 */
final class WorkloadChanges extends AbstractEventSource<HasMetadata, HardeningPolicy> {

    private static final Logger LOG = Logger.getLogger(WorkloadChanges.class);
    private static final Duration TICK = Duration.ofMillis(250);
    private static final Duration RESTART_DELAY = Duration.ofSeconds(2);
    /** The debouncer's key for "a scan changed": never a namespace's name, which is never empty. */
    private static final String SCANS = "";

    private final KubernetesClient client;
    private final InformerPolicyIndex index;
    private final AuditLedger ledger;
    private final ReportWriter reports;
    private final ReportSweep sweep;
    private final AuditMetrics metrics;
    private final HardeningConfig config;
    private final ChangeDebouncer debouncer;
    private final List<Watch> watches = new ArrayList<>();
    private final Runnable onPolicies = this::policiesChanged;
    private final ScanIndex scans;
    private final Runnable onScans = this::scanChanged;
    private volatile boolean sweepWanted;
    private ScheduledExecutorService executor;

    WorkloadChanges(KubernetesClient client, InformerPolicyIndex index, AuditLedger ledger, ReportWriter reports,
                    ReportSweep sweep, AuditMetrics metrics, HardeningConfig config, ScanIndex scans) {
        super(HasMetadata.class, "workload-changes");
        this.scans = scans;
        this.metrics = metrics;
        this.client = client;
        this.index = index;
        this.ledger = ledger;
        this.reports = reports;
        this.sweep = sweep;
        this.config = config;
        this.debouncer = new ChangeDebouncer(config.audit().changeDebounce(), config.audit().changeMinInterval());
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "workload-changes");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        for (WorkloadKind kind : WorkloadKind.values()) {
            watch(Watched.of(kind));
        }
        watch(Watched.NETWORK_POLICIES);
        index.onChange(onPolicies);
        scans.onChange(onScans);
        super.start();
    }

    @Override
    public synchronized void stop() {
        index.removeListener(onPolicies);
        scans.removeListener(onScans);
        watches.forEach(Watch::close);
        watches.clear();
        if (executor != null) {
            executor.shutdownNow();
        }
        super.stop();
    }

    @Override
    public Set<HasMetadata> getSecondaryResources(HardeningPolicy primary) {
        return Set.of();
    }

    /**
     * What is watched: a judged kind, or the NetworkPolicies (kind null), which change the coverage of a namespace's
     * workloads.
     */
    private record Watched(Class<? extends HasMetadata> type, String resource, WorkloadKind kind) {

        static final Watched NETWORK_POLICIES = new Watched(NetworkPolicy.class, "networkpolicies", null);

        static Watched of(WorkloadKind kind) {
            return new Watched(kind.modelClass(), kind.resource(), kind);
        }
    }

    /** From now on (the current resourceVersion of a one-item list): no synthetic event per existing object. */
    private void watch(Watched watched) {
        try {
            String from = client.resources(watched.type()).inAnyNamespace()
                    .list(new ListOptionsBuilder().withLimit(1L).build()).getMetadata().getResourceVersion();
            Watch watch = open(watched, watched.type(), from);
            synchronized (this) {
                watches.add(watch);
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot watch %s for fresh audit counts (%s); retrying", watched.resource(), e.getMessage());
            restartLater(watched);
        }
    }

    private <T extends HasMetadata> Watch open(Watched watched, Class<T> type, String from) {
        return client.resources(type).inAnyNamespace().watch(new ListOptionsBuilder().withResourceVersion(from)
                .withAllowWatchBookmarks(true).build(), new Watcher<T>() {
                    @Override
                    public void eventReceived(Action action, T object) {
                        received(watched, action, object);
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        LOG.debugf("watch of %s closed (%s); restarting", watched.resource(), cause.getMessage());
                        restartLater(watched);
                    }
                });
    }

    private synchronized void restartLater(Watched watched) {
        if (executor != null && !executor.isShutdown()) {
            executor.schedule(() -> watch(watched), RESTART_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void received(Watched watched, Watcher.Action action, HasMetadata object) {
        if (WorkloadEvents.mayChangeAudit(watched.kind(), action, object)) {
            debouncer.changed(object.getMetadata().getNamespace(), System.nanoTime());
        }
    }

    /** Namespaces quiet for the debounce and not re-audited within minInterval go to their policies' reconcilers. */
    private void tick() {
        try {
            debouncer.flushDue(System.nanoTime(), this::trigger);
            if (sweepWanted) {
                sweepWanted = false;
                sweep.run(client, ref -> index.known(PolicyRef.parse(ref)));
            }
        } catch (RuntimeException e) {
            LOG.warnf("fresh audit counts: %s", e.getMessage());
        }
    }

    private void trigger(String namespace) {
        if (!index.ready()) {
            return;
        }
        PolicySnapshot snapshot = index.snapshot();
        if (SCANS.equals(namespace)) {
            scansChanged(snapshot);
            return;
        }
        for (CompiledPolicy policy : snapshot.policiesFor(namespace)) {
            AuditScope scope = AuditScope.of(policy, config, snapshot.namespacesWithPolicies());
            if (scope.covers(namespace) && ledger.markChanged(policy.ref(), namespace)) {
                getEventHandler().handleEvent(new Event(new ResourceID(policy.ref().name(), policy.ref().namespace())));
            }
        }
    }

    private void scanChanged() {
        debouncer.changed(SCANS, System.nanoTime());
    }

    /**
     * A scan arrived, changed or went: which workloads run its digest is not known without listing them, so every
     * policy that reads scans gets a full audit (scans change far less often than workloads; the debouncer bounds it).
     */
    private void scansChanged(PolicySnapshot snapshot) {
        for (CompiledPolicy policy : snapshot.all()) {
            if (policy.readsScans()) {
                ledger.forget(policy.ref());
                getEventHandler().handleEvent(new Event(new ResourceID(policy.ref().name(), policy.ref().namespace())));
            }
        }
    }

    private void policiesChanged() {
        metrics.retainPolicies(ref -> index.known(PolicyRef.parse(ref)));
        if (reports.enabled()) {
            sweepWanted = true;
        }
    }
}
