package dev.hardening.rules.network;

import dev.hardening.rules.AbstractRule;
import dev.hardening.rules.CoverageTarget;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Target;
import dev.hardening.rules.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code network-policy-coverage}: a workload whose Pods no NetworkPolicy of their namespace isolates. Judged by the
 * audit and the CLI only ({@link CoverageTarget}); opt-in, so that enabling it is a decision and not an upgrade that
 * turns every existing audit red.
 */
public final class NetworkPolicyCoverageRule extends AbstractRule {

    public NetworkPolicyCoverageRule() {
        super(new RuleInfo("network-policy-coverage", Profile.None, "Workloads isolated by a NetworkPolicy",
                "Some NetworkPolicy of the workload's namespace selects its pod template's labels and isolates each "
                        + "direction of the policy's spec.network.requiredPolicyTypes (default Ingress), with "
                        + "Kubernetes' semantics: podSelector: {} selects every Pod, matchExpressions apply, "
                        + "policyTypes defaults to Ingress (plus Egress when there are egress rules), and a policy "
                        + "without rules is a default deny that counts. Judged by the audit and the CLI, never at "
                        + "admission. The examples show the spec of the namespace's one NetworkPolicy, for Pods "
                        + "labelled app: web.",
                "Release checklist, network isolated: a Pod no NetworkPolicy selects accepts connections from every "
                        + "Pod of the cluster, and a compromised neighbour reaches its metrics and admin ports.",
                "Apply a default-deny NetworkPolicy to the namespace (podSelector: {} with the policyTypes and no "
                        + "rules), then policies that allow what each workload needs.",
                new RuleExample("""
                        spec:
                          podSelector:
                            matchLabels:
                              app: api
                          policyTypes: [Ingress]
                        """, """
                        spec:
                          podSelector: {}
                          policyTypes: [Ingress, Egress]
                        """)));
    }

    @Override
    public Target.Type judges() {
        return Target.Type.COVERAGE;
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        return List.of();
    }

    @Override
    public List<Violation> evaluate(CoverageTarget target, RuleSettings settings) {
        PodTarget workload = target.workload();
        Map<String, String> labels = workload.podLabels();
        Set<String> isolated = target.policies().isolated(target.namespace(), labels);
        List<String> missing = new ArrayList<>();
        for (String direction : List.of("Ingress", "Egress")) {
            if (settings.requiredPolicyTypes().contains(direction) && !isolated.contains(direction)) {
                missing.add(direction);
            }
        }
        if (missing.isEmpty()) {
            return List.of();
        }
        String path = workload.metadataField("labels");
        String directions = String.join(" and ", missing);
        return List.of(podViolation(path, "no NetworkPolicy in namespace \"" + target.namespace()
                        + "\" selects its Pods for " + directions,
                "add a NetworkPolicy whose podSelector matches " + path + " with policyTypes " + directions
                        + " (podSelector: {} without rules is a default deny for the namespace)"));
    }
}
