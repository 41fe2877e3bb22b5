package dev.hardening.cli;

import dev.hardening.engine.Finding;
import dev.hardening.engine.FindingVerdict;
import dev.hardening.policy.PolicyRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** What one {@code hardening check} found: every object checked, every object skipped, under which policies. */
final class CheckReport {

    /** A finding with the position of the field it names. */
    record Located(Finding finding, Position position) {
    }

    /** One object of a handled kind, with every finding of every policy. */
    record CheckedObject(Source source, Position position, String apiVersion, String kind, String namespace,
                         String name, List<Located> findings) {

        Verdict verdict() {
            Verdict verdict = Verdict.PASSED;
            for (Located located : findings) {
                if (located.finding().outcome() == FindingVerdict.DENY) {
                    return Verdict.DENIED;
                }
                if (located.finding().outcome() == FindingVerdict.WARN) {
                    verdict = Verdict.WARNED;
                }
            }
            return verdict;
        }

        /** {@code Deployment/api}: the form kubectl uses for a resource. */
        String displayName() {
            return kind + "/" + name;
        }
    }

    /** An object of a kind without a pod spec. */
    record SkippedObject(Source source, Position position, String apiVersion, String kind, String name) {
    }

    enum Verdict { DENIED, WARNED, PASSED }

    /** The findings that make {@code check} exit 1. */
    enum FailOn { enforce, warn }

    private final List<CheckPolicy> policies;
    private final Instant now;
    private final List<CheckedObject> objects = new ArrayList<>();
    private final List<SkippedObject> skipped = new ArrayList<>();
    /** Namespaces whose NetworkPolicy coverage was not judged: the input holds none of their NetworkPolicies. */
    private final SortedSet<String> coverageNotEvaluated = new TreeSet<>();

    private List<String> unreadable = List.of();

    CheckReport(List<CheckPolicy> policies, Instant now) {
        this.policies = List.copyOf(policies);
        this.now = now;
    }

    void add(CheckedObject object) {
        objects.add(object);
    }

    void skip(SkippedObject object) {
        skipped.add(object);
    }

    void coverageNotEvaluated(String namespace) {
        coverageNotEvaluated.add(namespace);
    }

    SortedSet<String> coverageNotEvaluated() {
        return Collections.unmodifiableSortedSet(coverageNotEvaluated);
    }

    /**
     * The line that says coverage was not judged, or empty: {@code network-policy-coverage not evaluated in
     * namespaces a, b: no NetworkPolicy of theirs in the input (--require-network-policy judges them uncovered)}.
     */
    String coverageNote() {
        if (coverageNotEvaluated.isEmpty()) {
            return "";
        }
        return "network-policy-coverage not evaluated in namespace" + (coverageNotEvaluated.size() == 1 ? " " : "s ")
                + String.join(", ", coverageNotEvaluated)
                + ": no NetworkPolicy of theirs in the input (--require-network-policy judges them uncovered)";
    }

    /** With --keep-going: the inputs (file and line, what is wrong) that could not be checked. */
    void unreadable(List<String> problems) {
        unreadable = List.copyOf(problems);
    }

    List<String> unreadable() {
        return unreadable;
    }

    List<CheckPolicy> policies() {
        return policies;
    }

    Instant now() {
        return now;
    }

    List<CheckedObject> objects() {
        return Collections.unmodifiableList(objects);
    }

    List<SkippedObject> skipped() {
        return Collections.unmodifiableList(skipped);
    }

    /** The report's name for the policy of a finding. */
    String policyName(PolicyRef ref) {
        for (CheckPolicy policy : policies) {
            if (policy.compiled().ref().equals(ref)) {
                return policy.name();
            }
        }
        return String.valueOf(ref);
    }

    long count(Verdict verdict) {
        return objects.stream().filter(o -> o.verdict() == verdict).count();
    }

    /** Skipped objects by kind, in kind order. */
    Map<String, Integer> skippedKinds() {
        Map<String, Integer> kinds = new TreeMap<>();
        skipped.forEach(s -> kinds.merge(s.kind(), 1, Integer::sum));
        return kinds;
    }

    /**
     * 2 when an input could not be checked (--keep-going), else 1 when an Enforce violation denies an object (or,
     * with {@code --fail-on warn}, a Warn one warns), else 0.
     */
    int exitCode(FailOn failOn) {
        if (!unreadable.isEmpty()) {
            return HardeningCli.EXIT_ERROR;
        }
        boolean failed = count(Verdict.DENIED) > 0 || (failOn == FailOn.warn && count(Verdict.WARNED) > 0);
        return failed ? 1 : 0;
    }

    /** {@code 1 denied, 1 warned, 1 passed; 2 skipped (ConfigMap 1, Service 1)} */
    String summary() {
        StringBuilder line = new StringBuilder().append(objects.size()).append(objects.size() == 1 ? " object" : " objects")
                .append(" checked: ").append(count(Verdict.DENIED)).append(" denied, ").append(count(Verdict.WARNED))
                .append(" warned, ").append(count(Verdict.PASSED)).append(" passed; ").append(skipped.size())
                .append(" skipped");
        if (!skipped.isEmpty()) {
            line.append(" (");
            skippedKinds().forEach((kind, n) -> line.append(kind).append(' ').append(n).append(", "));
            line.setLength(line.length() - 2);
            line.append(')');
        }
        if (!unreadable.isEmpty()) {
            line.append("; ").append(unreadable.size()).append(" unreadable (listed on standard error)");
        }
        return line.toString();
    }

    /** Every finding of every object, in input order. */
    List<Located> findings() {
        List<Located> all = new ArrayList<>();
        objects.forEach(o -> all.addAll(o.findings()));
        return all;
    }
}
