package dev.hardening.rules.network;

import dev.hardening.rules.Fixes;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.ServiceTarget;
import dev.hardening.rules.Violation;

import java.util.List;

/**
 * {@code service-node-port}: a NodePort Service, and a LoadBalancer one unless it sets
 * {@code allocateLoadBalancerNodePorts: false}, since both open a port on every node (checks that look only at
 * {@code type: NodePort} miss the second).
 */
public final class ServiceNodePortRule extends ServiceRule {

    public ServiceNodePortRule() {
        super(new RuleInfo("service-node-port", Profile.Hardened, "Service node ports",
                "A Service is not of type: NodePort, and a type: LoadBalancer Service sets "
                        + "allocateLoadBalancerNodePorts: false, unless the policy lists NodePort in "
                        + "spec.network.allowedServiceTypes.",
                "A node port is open on every node's addresses, outside any load balancer's source ranges: a metrics "
                        + "or admin port becomes reachable by whoever reaches a node.",
                "Use type: ClusterIP behind an Ingress or a Gateway; for a LoadBalancer whose implementation sends "
                        + "traffic to the Pods directly, set spec.allocateLoadBalancerNodePorts: false.",
                new RuleExample(Examples.service("type: NodePort", 80), Examples.service("type: ClusterIP", 80))));
    }

    @Override
    public List<Violation> evaluate(ServiceTarget target, RuleSettings settings) {
        if (settings.serviceTypeAllowed("NodePort")) {
            return List.of();
        }
        String type = target.serviceType();
        if ("NodePort".equals(type)) {
            return List.of(serviceViolation("spec.type", "type NodePort opens a port on every node",
                    Fixes.set("spec.type", "ClusterIP") + " and expose it through an Ingress or a Gateway"));
        }
        if ("LoadBalancer".equals(type) && !Boolean.FALSE.equals(target.spec().getAllocateLoadBalancerNodePorts())) {
            return List.of(serviceViolation("spec.allocateLoadBalancerNodePorts",
                    "type LoadBalancer also opens a port on every node",
                    Fixes.set("spec.allocateLoadBalancerNodePorts", "false")
                            + " (if the load balancer sends traffic to the Pods directly)"));
        }
        return List.of();
    }
}
