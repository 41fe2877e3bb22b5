package dev.hardening.rules;

import java.util.List;

/**
 * A single hardening check over a pod spec or, for the network rules, a Service ({@link #judges()}). Implementations are stateless and thread-safe:
 * one instance serves every admission request concurrently.
 */
public interface Rule {

    /** Stable public id that users write in policies, e.g. {@code run-as-non-root}. */
    String id();

    /**
     * The first profile that contains the rule (each profile contains the rules of the one before it), or
     * {@link Profile#None} for an opt-in rule, which a policy enables by id.
     */
    Profile profile();

    /** Short human title. */
    String title();

    /** What the rule checks, one or two sentences. */
    String description();

    /** Why it matters, one line. */
    String rationale();

    /** How to fix a violation, one or two sentences. */
    String remediation();

    RuleExample example();

    /** What the rule judges: the pod spec of a workload (most rules), a Service, or a workload's NetworkPolicy coverage. */
    default Target.Type judges() {
        return Target.Type.POD_SPEC;
    }

    /**
     * The ids of the upstream Pod Security checks ({@code k8s.io/pod-security-admission}) this rule follows, e.g.
     * {@code privileged}; a fixture is allowed upstream only when all of them allow it. Empty for a rule of our own.
     */
    default List<String> podSecurityChecks() {
        return List.of();
    }

    /** Whether the rule reads scans ({@link RuleSettings#scans()}): a policy with one is re-audited when scans change. */
    default boolean readsScans() {
        return false;
    }

    /**
     * Every violation in the target, never only the first one. Returns an empty list when the target complies.
     * Must not throw on odd input: a malformed value is a violation, not an exception.
     */
    List<Violation> evaluate(PodTarget target, RuleSettings settings);

    /** As {@link #evaluate(PodTarget, RuleSettings)}, for a Service: only rules that judge Services find anything. */
    default List<Violation> evaluate(ServiceTarget target, RuleSettings settings) {
        return List.of();
    }

    /** As {@link #evaluate(PodTarget, RuleSettings)}, for a workload with its namespace's NetworkPolicies. */
    default List<Violation> evaluate(CoverageTarget target, RuleSettings settings) {
        return List.of();
    }
}
