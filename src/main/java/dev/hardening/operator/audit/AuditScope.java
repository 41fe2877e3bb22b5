package dev.hardening.operator.audit;

import dev.hardening.policy.CompiledPolicy;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which namespaces a policy's audit covers. A namespace's policy covers its namespace; a cluster-default policy (in the
 * operator's namespace) covers every namespace without a valid policy of its own, except those the webhook never sees
 * (kube-system, kube-node-lease, the operator's, the configured exclusions). Pure.
 *
 * @param namespacesWithOwnPolicies from the policy index's snapshot: what admission uses, so audit and admission agree
 */
public record AuditScope(CompiledPolicy policy, boolean clusterDefault, Set<String> neverSeen,
                         Set<String> namespacesWithOwnPolicies) {

    public AuditScope {
        neverSeen = Set.copyOf(neverSeen);
        namespacesWithOwnPolicies = Set.copyOf(namespacesWithOwnPolicies);
    }

    public static AuditScope of(CompiledPolicy policy, String operatorNamespace, Optional<List<String>> excluded,
                                Set<String> namespacesWithOwnPolicies) {
        Set<String> neverSeen = new HashSet<>(List.of("kube-system", "kube-node-lease", operatorNamespace));
        excluded.ifPresent(neverSeen::addAll);
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
