package dev.hardening.operator.audit;

import dev.hardening.HardeningConfig;
import dev.hardening.engine.CompiledPolicy;
import dev.hardening.rules.NetworkPolicies;
import dev.hardening.rules.ScanLookup;
import dev.hardening.rules.Target;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Listable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Lists the Pods and pod-template workloads a policy covers, page by page ({@code limit} + {@code continue},
 * {@code hardening.audit.page-size} objects a page), and evaluates each object as its page arrives: memory holds one
 * page and the bounded tallies, whatever the cluster size. The cluster default is audited namespace by namespace (the
 * Namespaces are paged too), so that what one namespace shows is complete before the next one starts. Runs on the
 * leader only, from the reconciler.
 */
@ApplicationScoped
public class PolicyAuditor {

    private final int pageSize;
    private final AuditMetrics metrics;
    private final ScanLookup scans;

    @Inject
    public PolicyAuditor(HardeningConfig config, AuditMetrics metrics, ScanLookup scans) {
        this(config.audit().pageSize(), metrics, scans);
    }

    public PolicyAuditor(int pageSize, AuditMetrics metrics) {
        this(pageSize, metrics, ScanLookup.NONE);
    }

    public PolicyAuditor(int pageSize, AuditMetrics metrics, ScanLookup scans) {
        this.pageSize = pageSize;
        this.metrics = metrics;
        this.scans = scans;
    }

    /**
     * Audits every namespace of {@code scope}, handing each namespace's complete audit (with at most
     * {@code maxResults} report results) to {@code onNamespace} before the next namespace starts. A failed list fails
     * the whole audit: partial figures are never shown.
     */
    public AuditRunResult audit(KubernetesClient client, AuditScope scope, Instant now, int maxResults,
                              Consumer<NamespaceAudit> onNamespace) {
        long start = System.nanoTime();
        AuditTally total = new AuditTally();
        try {
            if (scope.clusterDefault()) {
                forEach(client.namespaces(), "Namespace", "namespaces", null, ns -> {
                    String name = ns.getMetadata().getName();
                    if (scope.covers(name)) {
                        NamespaceAudit audit = auditNamespace(client, scope.policy(), name, now, maxResults);
                        total.merge(audit.tally());
                        onNamespace.accept(audit);
                    }
                });
            } else {
                NamespaceAudit audit = auditNamespace(client, scope.policy(), scope.policy().ref().namespace(), now,
                        maxResults);
                total.merge(audit.tally());
                onNamespace.accept(audit);
            }
        } catch (ListFailure e) {
            metrics.failed(Duration.ofNanos(System.nanoTime() - start));
            return new AuditRunResult.Failed(e.reason, e.getMessage());
        }
        metrics.completed(Duration.ofNanos(System.nanoTime() - start));
        return new AuditRunResult.Completed(total.summary(now, scope.clusterDefault()));
    }

    /**
     * Re-audits only {@code namespaces} (those {@code scope} covers), each handed to {@code onNamespace}. Completed
     * carries no summary: the caller adds the namespaces' tallies to what it kept of the last full audit.
     */
    public AuditRunResult auditNamespaces(KubernetesClient client, AuditScope scope, java.util.Collection<String> namespaces,
                                        Instant now, int maxResults, Consumer<NamespaceAudit> onNamespace) {
        long start = System.nanoTime();
        try {
            for (String namespace : namespaces) {
                if (scope.covers(namespace)) {
                    onNamespace.accept(auditNamespace(client, scope.policy(), namespace, now, maxResults));
                }
            }
        } catch (ListFailure e) {
            metrics.failed(Duration.ofNanos(System.nanoTime() - start));
            return new AuditRunResult.Failed(e.reason, e.getMessage());
        }
        metrics.completed(Duration.ofNanos(System.nanoTime() - start));
        return new AuditRunResult.Completed(null);
    }

    /**
     * One namespace: each kind listed page by page and evaluated as it arrives; first its NetworkPolicies when the
     * policy judges coverage (held whole: a namespace has few, and every workload is matched against all of them).
     */
    public NamespaceAudit auditNamespace(KubernetesClient client, CompiledPolicy policy, String namespace, Instant now,
                                         int maxResults) {
        NetworkPolicies networkPolicies = null;
        if (policy.judges(Target.Type.COVERAGE)) {
            List<NetworkPolicy> listed = new ArrayList<>();
            forEach(client.network().v1().networkPolicies().inNamespace(namespace), "NetworkPolicy",
                    "networkpolicies.networking.k8s.io", namespace, item -> listed.add((NetworkPolicy) item));
            networkPolicies = NetworkPolicies.of(listed, namespace);
        }
        NamespaceAudit audit = new NamespaceAudit(policy, namespace, now, maxResults, networkPolicies, scans);
        for (WorkloadKind kind : WorkloadKind.values()) {
            String resource = kind.group().isEmpty() ? kind.resource() : kind.resource() + "." + kind.group();
            forEach(client.resources(kind.modelClass()).inNamespace(namespace), kind.kind(), resource, namespace,
                    item -> audit.add(kind, item));
        }
        return audit;
    }

    private void forEach(Listable<? extends KubernetesResourceList<? extends HasMetadata>> listable, String kind,
                         String resource, String namespace, Consumer<HasMetadata> each) {
        String token = null;
        do {
            KubernetesResourceList<? extends HasMetadata> page;
            try {
                page = listable.list(new ListOptionsBuilder().withLimit((long) pageSize).withContinue(token).build());
            } catch (KubernetesClientException e) {
                throw ListFailure.of(e, resource, namespace);
            }
            metrics.page(kind);
            page.getItems().forEach(each);
            token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (token != null && !token.isEmpty());
    }

    /** A list that failed, with a reason for the Audited condition and a message naming what was being listed. */
    static final class ListFailure extends RuntimeException {

        final String reason;

        private ListFailure(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        static ListFailure of(KubernetesClientException e, String resource, String namespace) {
            String where = "cannot list " + resource + (namespace == null ? "" : " in namespace " + namespace) + ": ";
            String said = e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : String.valueOf(e.getMessage());
            return switch (e.getCode()) {
                case 401, 403 -> new ListFailure("Forbidden", where + said);
                // the continue token outlived the API server's compaction window; the next audit starts afresh
                case 410 -> new ListFailure("ListExpired", where + said);
                case 0 -> new ListFailure("ApiUnavailable", where + said);
                default -> new ListFailure("ListFailed", where + said);
            };
        }
    }
}
