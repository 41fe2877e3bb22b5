package dev.hardening.rules.baseline;

import dev.hardening.rules.AbstractRule;
import dev.hardening.rules.Fixes;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;
import io.fabric8.kubernetes.api.model.PodSpec;

import java.util.ArrayList;
import java.util.List;

/** Upstream check {@code hostNamespaces}: hostNetwork, hostPID and hostIPC must be unset or false; one violation each. */
public final class NoHostNamespacesRule extends AbstractRule {

    public NoHostNamespacesRule() {
        super(new RuleInfo("no-host-namespaces", Profile.Baseline,
                "Host namespaces",
                "The pod must not share the node's network, process or IPC namespace (hostNetwork, hostPID, hostIPC).",
                "A pod in the host's namespaces can sniff node traffic, signal host processes and read host shared memory.",
                "Set spec.hostNetwork, spec.hostPID and spec.hostIPC to false or remove them; expose ports through a Service.",
                new RuleExample("""
                        spec:
                          hostNetwork: true
                          hostPID: true
                          containers:
                            - name: agent
                              image: registry.example.com/agent:2.0.1
                        """, """
                        spec:
                          containers:
                            - name: agent
                              image: registry.example.com/agent:2.0.1
                        """)).withPodSecurityChecks("hostNamespaces"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        PodSpec spec = target.spec();
        List<Violation> violations = new ArrayList<>();
        check(target, "hostNetwork", spec.getHostNetwork(), "network", violations);
        check(target, "hostPID", spec.getHostPID(), "process", violations);
        check(target, "hostIPC", spec.getHostIPC(), "IPC", violations);
        return violations;
    }

    private void check(PodTarget target, String field, Boolean value, String namespace, List<Violation> violations) {
        if (Boolean.TRUE.equals(value)) {
            String path = target.specField(field);
            violations.add(podViolation(path, field + " is true: the pod shares the node's " + namespace + " namespace",
                    Fixes.setOrRemove(path, "false")));
        }
    }
}
