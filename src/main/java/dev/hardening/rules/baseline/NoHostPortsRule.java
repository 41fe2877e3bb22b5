package dev.hardening.rules.baseline;

import dev.hardening.rules.AbstractRule;
import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.Fixes;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;
import io.fabric8.kubernetes.api.model.ContainerPort;

import java.util.ArrayList;
import java.util.List;

/** Upstream check {@code hostPorts}: every containerPort's hostPort must be unset or 0, in every container list. */
public final class NoHostPortsRule extends AbstractRule {

    public NoHostPortsRule() {
        super(new RuleInfo("no-host-ports", Profile.Baseline,
                "Host ports",
                "No container port may set a non-zero hostPort.",
                "A hostPort binds the node's own address, bypassing network policy and limiting where the pod can schedule.",
                "Remove hostPort from the container ports and expose the port through a Service.",
                new RuleExample("""
                        spec:
                          containers:
                            - name: web
                              image: registry.example.com/web:3.2.0
                              ports:
                                - containerPort: 8080
                                  hostPort: 80
                        """, """
                        spec:
                          containers:
                            - name: web
                              image: registry.example.com/web:3.2.0
                              ports:
                                - containerPort: 8080
                        """)).withPodSecurityChecks("hostPorts"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerRef container : target.containers()) {
            List<ContainerPort> ports = container.container().getPorts();
            if (ports == null) {
                continue;
            }
            for (int i = 0; i < ports.size(); i++) {
                ContainerPort port = ports.get(i);
                Integer hostPort = port == null ? null : port.getHostPort();
                if (hostPort != null && hostPort != 0) {
                    String field = "ports[" + i + "].hostPort";
                    violations.add(violation(container, field, "binds host port " + hostPort,
                            Fixes.remove(container.field(field)) + " and expose the port through a Service"));
                }
            }
        }
        return violations;
    }
}
