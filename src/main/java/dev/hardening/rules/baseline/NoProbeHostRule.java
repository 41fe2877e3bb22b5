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
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream check {@code hostProbesAndHostLifecycle} (new in v1.34): probes and lifecycle handlers must not name a
 * {@code host}: the kubelet would connect to any address it is given, from the node's network.
 */
public final class NoProbeHostRule extends AbstractRule {

    public NoProbeHostRule() {
        super(new RuleInfo("no-probe-host", Profile.Baseline,
                "Probe and lifecycle hosts",
                "The httpGet.host and tcpSocket.host of liveness, readiness and startup probes and of postStart and preStop"
                        + " handlers must be empty.",
                "A probe host makes the kubelet connect from the node to any address the pod author chooses.",
                "Remove the host field so that the kubelet targets the pod's own IP; send a Host header through httpHeaders if needed.",
                new RuleExample("""
                        spec:
                          containers:
                            - name: web
                              image: registry.example.com/web:3.2.0
                              readinessProbe:
                                httpGet:
                                  host: 169.254.169.254
                                  path: /latest/meta-data/
                                  port: 80
                        """, """
                        spec:
                          containers:
                            - name: web
                              image: registry.example.com/web:3.2.0
                              readinessProbe:
                                httpGet:
                                  path: /healthz
                                  port: 8080
                        """)).withPodSecurityChecks("hostProbesAndHostLifecycle"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerRef container : target.containers()) {
            Container c = container.container();
            probe(container, "livenessProbe", c.getLivenessProbe(), violations);
            probe(container, "readinessProbe", c.getReadinessProbe(), violations);
            probe(container, "startupProbe", c.getStartupProbe(), violations);
            Lifecycle lifecycle = c.getLifecycle();
            if (lifecycle != null) {
                handler(container, "lifecycle.postStart", lifecycle.getPostStart(), violations);
                handler(container, "lifecycle.preStop", lifecycle.getPreStop(), violations);
            }
        }
        return violations;
    }

    private void probe(ContainerRef container, String field, Probe probe, List<Violation> violations) {
        if (probe != null) {
            check(container, field, probe.getHttpGet(), probe.getTcpSocket(), violations);
        }
    }

    private void handler(ContainerRef container, String field, LifecycleHandler handler, List<Violation> violations) {
        if (handler != null) {
            check(container, field, handler.getHttpGet(), handler.getTcpSocket(), violations);
        }
    }

    private void check(ContainerRef container, String field, HTTPGetAction httpGet, TCPSocketAction tcpSocket,
                       List<Violation> violations) {
        if (httpGet != null) {
            host(container, field + ".httpGet.host", httpGet.getHost(), violations);
        }
        if (tcpSocket != null) {
            host(container, field + ".tcpSocket.host", tcpSocket.getHost(), violations);
        }
    }

    private void host(ContainerRef container, String field, String host, List<Violation> violations) {
        if (host != null && !host.isEmpty()) {
            violations.add(violation(container, field, field + " targets host \"" + host + "\"",
                    Fixes.remove(container.field(field)) + " so that the kubelet targets the pod IP"));
        }
    }
}
