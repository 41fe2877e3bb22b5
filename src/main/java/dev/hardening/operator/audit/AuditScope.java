package dev.hardening.operator.audit;

import dev.hardening.HardeningConfig;
import dev.hardening.engine.CompiledPolicy;
import dev.hardening.registration.WebhookSettings;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which namespaces a policy's audit covers. A namespace's policy covers its namespace; a cluster-default policy (in the
 * operator's namespace) covers every namespace without a valid policy of its own, except those the webhook never sees
 * ({@link WebhookSettings#neverAdmittedNamespaces}). Pure.
 *
 * @param namespacesWithOwnPolicies from the policy index's snapshot: what admission uses, so audit and admission agree
 */
public record AuditScope(CompiledPolicy policy, boolean clusterDefault, Set<String> neverSeen,
                         Set<String> namespacesWithOwnPolicies) {

    public AuditScope {
        neverSeen = Set.copyOf(neverSeen);
        namespacesWithOwnPolicies = Set.copyOf(namespacesWithOwnPolicies);
    }

    /** The scope of {@code policy} under the operator's settings: its namespace and the never-admitted ones. */
    public static AuditScope of(CompiledPolicy policy, HardeningConfig config, Set<String> namespacesWithOwnPolicies) {
        return of(policy, config.namespace(), config.webhook().excludedNamespaces(), namespacesWithOwnPolicies);
    }

    public static AuditScope of(CompiledPolicy policy, String operatorNamespace, Optional<List<String>> excluded,
                                Set<String> namespacesWithOwnPolicies) {
        Set<String> neverSeen = WebhookSettings.neverAdmittedNamespaces(operatorNamespace, excluded.orElse(List.of()));
        return new AuditScope(policy, policy.ref().namespace().equals(operatorNamespace), neverSeen,
                namespacesWithOwnPolicies);
    }

    public boolean covers(String namespace) {
        if (!clusterDefault) {
            return namespace.equals(policy.ref().namespace());
        }
        return !neverSeen.contains(namespace) && !namespacesWithOwnPolicies.contains(namespace);
    }
}
