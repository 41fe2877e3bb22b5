package dev.hardening.rules;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The NetworkPolicies known to the audit (listed from the cluster) or the CLI (found in its input), by namespace: which
 * directions they isolate for a Pod with given labels. A policy applies only to Pods of its own namespace. A policy
 * with no rules still isolates what its policyTypes name: it is a default deny, and counts.
 */
public final class NetworkPolicies {

    public static final String INGRESS = "Ingress";
    public static final String EGRESS = "Egress";

    private final Map<String, List<NetworkPolicy>> byNamespace;

    private NetworkPolicies(Map<String, List<NetworkPolicy>> byNamespace) {
        this.byNamespace = byNamespace;
    }

    /** Policies without a namespace are in {@code defaultNamespace} (a file applied with kubectl -n). */
    public static NetworkPolicies of(Collection<NetworkPolicy> policies, String defaultNamespace) {
        Map<String, List<NetworkPolicy>> byNamespace = new HashMap<>();
        for (NetworkPolicy policy : policies) {
            String namespace = policy.getMetadata() == null || policy.getMetadata().getNamespace() == null
                    ? defaultNamespace : policy.getMetadata().getNamespace();
            byNamespace.computeIfAbsent(namespace, n -> new ArrayList<>()).add(policy);
        }
        return new NetworkPolicies(byNamespace);
    }

    /** Whether any NetworkPolicy of {@code namespace} is known: without one, the CLI cannot tell (it may exist in the cluster). */
    public boolean anyIn(String namespace) {
        return byNamespace.containsKey(namespace);
    }

    /** The directions ({@link #INGRESS}, {@link #EGRESS}) that some policy of {@code namespace} isolates for Pods with {@code labels}. */
    public Set<String> isolated(String namespace, Map<String, String> labels) {
        Set<String> directions = new LinkedHashSet<>();
        for (NetworkPolicy policy : byNamespace.getOrDefault(namespace, List.of())) {
            NetworkPolicySpec spec = policy.getSpec() == null ? new NetworkPolicySpec() : policy.getSpec();
            if (PodSelectors.selects(spec.getPodSelector(), labels)) {
                directions.addAll(policyTypes(spec));
            }
        }
        return directions;
    }

    /**
     * {@code spec.policyTypes} as the API server defaults it when unset: Ingress, plus Egress when the policy has egress
     * rules. Stored policies always have it; a file may not.
     */
    static List<String> policyTypes(NetworkPolicySpec spec) {
        if (spec.getPolicyTypes() != null && !spec.getPolicyTypes().isEmpty()) {
            return spec.getPolicyTypes();
        }
        return spec.getEgress() != null && !spec.getEgress().isEmpty() ? List.of(INGRESS, EGRESS) : List.of(INGRESS);
    }
}
