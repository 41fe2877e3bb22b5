package dev.hardening.operator.audit;

import dev.hardening.policy.PolicyRef;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the leader knows of each policy's last complete audit, per namespace, so that a change in one namespace is
 * re-audited alone and the totals stay exact: the tallies of the other namespaces are reused. Bounded by the number of
 * policies and namespaces (counts and at most 10 examples each), never by the number of objects. Also holds the
 * namespaces waiting for such a re-audit. Thread-safe: watch threads mark, the reconciler (one per policy) reads.
 */
@ApplicationScoped
public class AuditLedger {

    private final Map<PolicyRef, Entry> entries = new ConcurrentHashMap<>();
    private final Map<PolicyRef, Set<String>> pending = new ConcurrentHashMap<>();

    /** The last full audit of one policy, with the namespace tallies updated since by re-audits. */
    private record Entry(long generation, Instant fullAuditAt, Map<String, AuditTally> namespaces) {
    }

    /** After a complete full audit: the namespaces that had objects, with their tallies. */
    public void recordFull(PolicyRef ref, long generation, Instant at, Map<String, AuditTally> namespaces) {
        entries.put(ref, new Entry(generation, at, new HashMap<>(namespaces)));
    }

    /** Whether a re-audit of single namespaces can build on the last full audit of this generation. */
    public boolean current(PolicyRef ref, long generation) {
        Entry entry = entries.get(ref);
        return entry != null && entry.generation() == generation;
    }

    /** When the last full audit ran, or {@code null}. */
    public Instant fullAuditAt(PolicyRef ref) {
        Entry entry = entries.get(ref);
        return entry == null ? null : entry.fullAuditAt();
    }

    /** A namespace re-audited alone; {@code null} (or an empty tally) drops it. */
    public synchronized void replace(PolicyRef ref, String namespace, AuditTally tally) {
        Entry entry = entries.get(ref);
        if (entry == null) {
            return;
        }
        if (tally == null || tally.checked() == 0) {
            entry.namespaces().remove(namespace);
        } else {
            entry.namespaces().put(namespace, tally);
        }
    }

    /** The totals over every namespace, as one full audit would count them. */
    public synchronized AuditTally total(PolicyRef ref) {
        AuditTally total = new AuditTally();
        Entry entry = entries.get(ref);
        if (entry != null) {
            entry.namespaces().values().forEach(total::merge);
        }
        return total;
    }

    public void forget(PolicyRef ref) {
        entries.remove(ref);
        pending.remove(ref);
    }

    /** A namespace whose objects changed; true if it was not pending yet. */
    public boolean markChanged(PolicyRef ref, String namespace) {
        return pending.computeIfAbsent(ref, r -> ConcurrentHashMap.newKeySet()).add(namespace);
    }

    /** Takes the namespaces waiting for a re-audit of {@code ref}. */
    public List<String> takeChanged(PolicyRef ref) {
        Set<String> waiting = pending.get(ref);
        if (waiting == null) {
            return List.of();
        }
        List<String> taken = List.copyOf(waiting);
        waiting.removeAll(taken);
        return taken;
    }
}
