package dev.hardening.operator.audit;

import dev.hardening.policy.AuditExample;
import dev.hardening.policy.AuditSummary;
import dev.hardening.rules.WorkloadKind;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Exact counts and at most {@link AuditSummary#MAX_EXAMPLES} examples of what an audit saw, whatever the number of
 * objects: memory is bounded by the rule count, never by the object count. Tallies of different namespaces merge
 * into the same totals a single pass would give, in any order (examples are the first ones by kind, namespace and
 * name). Pure and not thread-safe.
 */
public final class AuditTally {

    private static final Comparator<Example> ORDER = Comparator.comparingInt(Example::kindOrder)
            .thenComparing(Example::namespace, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Example::name);

    private int checked;
    private int violating;
    private final Map<String, Integer> byRule = new TreeMap<>();
    private final TreeSet<Example> examples = new TreeSet<>(ORDER);

    /** One example: sorted on the object, not on the display name, so that merged tallies keep a stable order. */
    private record Example(int kindOrder, String kind, String namespace, String name, String rule) {
    }

    /** An object evaluated; {@code rules} are the rule ids it violates without an exemption (empty: compliant). */
    public void count(WorkloadKind kind, String namespace, String name, Set<String> rules) {
        checked++;
        if (rules.isEmpty()) {
            return;
        }
        violating++;
        rules.forEach(rule -> byRule.merge(rule, 1, Integer::sum));
        offer(new Example(kind.ordinal(), kind.kind(), namespace, name, rules.iterator().next()));
    }

    public void merge(AuditTally other) {
        checked += other.checked;
        violating += other.violating;
        other.byRule.forEach((rule, n) -> byRule.merge(rule, n, Integer::sum));
        other.examples.forEach(this::offer);
    }

    private void offer(Example example) {
        examples.add(example);
        if (examples.size() > AuditSummary.MAX_EXAMPLES) {
            examples.pollLast();
        }
    }

    public int checked() {
        return checked;
    }

    public int violating() {
        return violating;
    }

    /**
     * @param qualifyNames name examples {@code namespace/name}: the cluster default's objects span namespaces
     */
    public AuditSummary summary(Instant now, boolean qualifyNames) {
        List<AuditExample> named = new ArrayList<>();
        for (Example e : examples) {
            named.add(new AuditExample(e.kind(), qualifyNames ? e.namespace() + "/" + e.name() : e.name(), e.rule()));
        }
        AuditSummary summary = new AuditSummary();
        summary.setObjectsChecked(checked);
        summary.setObjectsViolating(violating);
        summary.setViolationsByRule(new TreeMap<>(byRule));
        summary.setExamples(named);
        summary.setLastAuditTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
        return summary;
    }
}
