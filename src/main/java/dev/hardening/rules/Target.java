package dev.hardening.rules;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * What the rules judge in one submitted object: the pod spec of a workload ({@link PodTarget}) or a Service
 * ({@link ServiceTarget}), built once per object by {@link WorkloadKind#target}, or, in the audit and the CLI, a
 * workload with its namespace's NetworkPolicies ({@link CoverageTarget}). Each rule judges one type of target.
 */
public sealed interface Target permits PodTarget, ServiceTarget, CoverageTarget {

    /** The shape a rule judges ({@link Rule#judges()}) and a kind carries ({@link WorkloadKind#targetType()}). */
    enum Type {
        POD_SPEC,
        SERVICE,
        /** A workload with its namespace's NetworkPolicies: built by the audit and the CLI only, never at admission. */
        COVERAGE
    }

    WorkloadKind kind();

    default Type type() {
        return kind().targetType();
    }

    /** Name of the submitted object (may be null for a generateName create). */
    String objectName();

    /** The submitted object as a JSON tree, where a violation's path names a field: what the update ratchet compares. */
    JsonNode tree();

    /** Its containers, in spec order; a Service has none. */
    List<ContainerRef> containers();

    /** {@code rule}'s violations in this target (none when the rule judges another type). */
    List<Violation> violationsOf(Rule rule, RuleSettings settings);
}
