package dev.hardening.rules;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A workload's pod template together with the NetworkPolicies of its namespace, for rule network-policy-coverage.
 * Only the audit and the CLI build it: admission never does, since a NetworkPolicy is often applied after the
 * workload it covers ({@code kubectl apply -f dir/} goes alphabetically).
 */
public record CoverageTarget(PodTarget workload, String namespace, NetworkPolicies policies) implements Target {

    @Override
    public Type type() {
        return Type.COVERAGE;
    }

    @Override
    public WorkloadKind kind() {
        return workload.kind();
    }

    @Override
    public String objectName() {
        return workload.objectName();
    }

    @Override
    public JsonNode tree() {
        return workload.tree();
    }

    @Override
    public List<ContainerRef> containers() {
        return workload.containers();
    }

    @Override
    public List<Violation> violationsOf(Rule rule, RuleSettings settings) {
        return rule.evaluate(this, settings);
    }
}
