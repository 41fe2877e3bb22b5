package dev.hardening.operator;

import dev.hardening.HardeningConfig;
import dev.hardening.policy.AuditSummary;
import dev.hardening.policy.CompiledPolicy;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.PolicyCompiler;
import dev.hardening.registration.WebhookSettings;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists the Pods and pod-template workloads a policy covers and summarizes what violates it. A namespace's policy
 * covers its namespace; a cluster-default policy (in the operator's namespace) covers every namespace without a valid
 * policy of its own, except those the webhook never sees (kube-system, kube-node-lease, the operator's, the configured
 * exclusions). Runs on the leader only, from the reconciler.
 */
@ApplicationScoped
public class WorkloadAudit {

    private final HardeningConfig config;
    private final Clock clock;

    @Inject
    public WorkloadAudit(HardeningConfig config) {
        this(config, Clock.systemUTC());
    }

    WorkloadAudit(HardeningConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public AuditSummary audit(KubernetesClient client, CompiledPolicy policy) {
        String namespace = policy.ref().namespace();
        boolean clusterDefault = namespace.equals(config.namespace());
        List<AuditSummarizer.AuditedObject> objects = new ArrayList<>();
        Set<String> skipped = clusterDefault ? namespacesNotCoveredByDefault(client) : Set.of();
        for (WorkloadKind kind : WorkloadKind.values()) {
            List<? extends HasMetadata> items = clusterDefault
                    ? client.resources(kind.modelClass()).inAnyNamespace().list().getItems()
                    : client.resources(kind.modelClass()).inNamespace(namespace).list().getItems();
            for (HasMetadata item : items) {
                if (!skipped.contains(item.getMetadata().getNamespace())) {
                    objects.add(new AuditSummarizer.AuditedObject(kind, item));
                }
            }
        }
        return AuditSummarizer.summarize(objects, policy, clock.instant(), clusterDefault);
    }

    /** Namespaces with a valid policy of their own, and those the webhook never sees. */
    private Set<String> namespacesNotCoveredByDefault(KubernetesClient client) {
        Set<String> skipped = new HashSet<>(WebhookSettings.of(config).neverAdmittedNamespaces());
        for (HardeningPolicy policy : client.resources(HardeningPolicy.class).inAnyNamespace().list().getItems()) {
            if (PolicyCompiler.compile(policy).valid()) {
                skipped.add(policy.getMetadata().getNamespace());
            }
        }
        return skipped;
    }
}
