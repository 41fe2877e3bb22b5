package dev.hardening.rules.network;

import dev.hardening.rules.Fixes;
import dev.hardening.rules.IpRange;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.ServiceTarget;
import dev.hardening.rules.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code service-load-balancer}: a LoadBalancer where the policy allows none, or one reachable from any address (no
 * source ranges, or a range of every address).
 */
public final class ServiceLoadBalancerRule extends ServiceRule {

    /** Cloud providers honour this annotation when spec.loadBalancerSourceRanges is empty. */
    static final String SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges";

    public ServiceLoadBalancerRule() {
        super(new RuleInfo("service-load-balancer", Profile.Hardened, "Load balancers with source ranges",
                "A type: LoadBalancer Service is allowed by the policy (LoadBalancer is in "
                        + "spec.network.allowedServiceTypes, as it is by default) and limits its clients with "
                        + "spec.loadBalancerSourceRanges (or the " + SOURCE_RANGES_ANNOTATION + " annotation), "
                        + "none of them a range of every address.",
                "Without source ranges a load balancer is reachable from the whole internet: a metrics endpoint or an "
                        + "admin port is exposed publicly.",
                "Set spec.loadBalancerSourceRanges to the client CIDRs that need the Service, or use type: "
                        + "ClusterIP behind an Ingress or a Gateway.",
                new RuleExample(Examples.service("type: LoadBalancer", 443), Examples.service("""
                        type: LoadBalancer
                        allocateLoadBalancerNodePorts: false
                        loadBalancerSourceRanges:
                        - 198.51.100.0/24""", 443))));
    }

    @Override
    public List<Violation> evaluate(ServiceTarget target, RuleSettings settings) {
        if (!"LoadBalancer".equals(target.serviceType())) {
            return List.of();
        }
        if (!settings.serviceTypeAllowed("LoadBalancer")) {
            return List.of(serviceViolation("spec.type", "type LoadBalancer is not allowed by the policy",
                    Fixes.set("spec.type", "ClusterIP")
                            + " (or add LoadBalancer to the policy's spec.network.allowedServiceTypes)"));
        }
        List<String> ranges = target.spec().getLoadBalancerSourceRanges();
        if (ranges == null || ranges.isEmpty()) {
            if (hasAnnotation(target)) {
                return List.of();
            }
            return List.of(serviceViolation("spec.loadBalancerSourceRanges",
                    "type LoadBalancer without loadBalancerSourceRanges is reachable from any address",
                    Fixes.set("spec.loadBalancerSourceRanges", "the client CIDRs that need it")));
        }
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            Optional<IpRange> range = IpRange.parse(ranges.get(i));
            if (range.isPresent() && range.get().prefix() == 0) {
                String path = "spec.loadBalancerSourceRanges[" + i + "]";
                violations.add(serviceViolation(path, "source range " + ranges.get(i) + " lets every address reach the load balancer",
                        Fixes.set(path, "the client CIDRs that need it")));
            }
        }
        return violations;
    }

    private static boolean hasAnnotation(ServiceTarget target) {
        var metadata = target.service().getMetadata();
        String value = metadata == null || metadata.getAnnotations() == null ? null
                : metadata.getAnnotations().get(SOURCE_RANGES_ANNOTATION);
        return value != null && !value.isBlank();
    }
}
