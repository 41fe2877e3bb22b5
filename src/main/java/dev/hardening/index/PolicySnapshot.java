package dev.hardening.index;

import dev.hardening.engine.CompiledPolicy;
import dev.hardening.policy.PolicyRef;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable answer to "which policies apply in namespace X": a namespace's own policies, or else the cluster
 * default (the policies of the operator's namespace). Built once per policy change, read lock-free by admission.
 */
public record PolicySnapshot(Map<String, List<CompiledPolicy>> byNamespace, List<CompiledPolicy> clusterDefault) {

    public static final PolicySnapshot EMPTY = new PolicySnapshot(Map.of(), List.of());

    public static PolicySnapshot of(Collection<CompiledPolicy> policies, String defaultNamespace) {
        Map<String, List<CompiledPolicy>> grouped = new HashMap<>();
        List<CompiledPolicy> sorted = new ArrayList<>(policies);
        // stable order: messages and findings list policies by name whatever the event order
        sorted.sort(Comparator.comparing(p -> p.ref().name()));
        for (CompiledPolicy policy : sorted) {
            grouped.computeIfAbsent(policy.ref().namespace(), ns -> new ArrayList<>()).add(policy);
        }
        Map<String, List<CompiledPolicy>> frozen = new HashMap<>();
        grouped.forEach((ns, list) -> frozen.put(ns, List.copyOf(list)));
        return new PolicySnapshot(Map.copyOf(frozen), frozen.getOrDefault(defaultNamespace, List.of()));
    }

    public List<CompiledPolicy> policiesFor(String namespace) {
        List<CompiledPolicy> own = byNamespace.get(namespace);
        return own != null ? own : clusterDefault;
    }

    /** The compiled policy admission enforces for {@code ref}, if it is valid. */
    public Optional<CompiledPolicy> policy(PolicyRef ref) {
        return byNamespace.getOrDefault(ref.namespace(), List.of()).stream().filter(p -> p.ref().equals(ref)).findFirst();
    }

    /** Namespaces with valid policies of their own; the cluster default covers every other one (used by the audit). */
    /** Every policy of the snapshot, the cluster default's included. */
    public List<CompiledPolicy> all() {
        List<CompiledPolicy> all = new java.util.ArrayList<>(clusterDefault);
        byNamespace.values().forEach(all::addAll);
        return all;
    }

    public Set<String> namespacesWithPolicies() {
        return byNamespace.keySet();
    }
}
