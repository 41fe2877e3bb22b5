package dev.hardening.rules;

import java.util.List;
import java.util.Set;

/**
 * Per-policy inputs that some rules need.
 *
 * @param registries          allowed image prefixes for {@code image-registry}
 * @param allowedServiceTypes Service types the namespace may create, for {@code service-node-port} and
 *                            {@code service-load-balancer}
 * @param allowedExternalIPs  ranges a Service's {@code spec.externalIPs} may use, for {@code service-external-ips}
 * @param requiredPolicyTypes directions a NetworkPolicy must isolate, for {@code network-policy-coverage}
 */
public record RuleSettings(List<String> registries, Set<String> allowedServiceTypes, List<IpRange> allowedExternalIPs,
                           Set<String> requiredPolicyTypes) {

    /** What a policy that does not say allows: every type except NodePort (a LoadBalancer still needs source ranges). */
    public static final Set<String> DEFAULT_SERVICE_TYPES = Set.of("ClusterIP", "ExternalName", "LoadBalancer");

    public static final RuleSettings DEFAULTS = new RuleSettings(List.of());

    public RuleSettings {
        registries = registries == null ? List.of() : List.copyOf(registries);
        allowedServiceTypes = allowedServiceTypes == null ? DEFAULT_SERVICE_TYPES : Set.copyOf(allowedServiceTypes);
        allowedExternalIPs = allowedExternalIPs == null ? List.of() : List.copyOf(allowedExternalIPs);
        requiredPolicyTypes = requiredPolicyTypes == null ? Set.of(NetworkPolicies.INGRESS) : Set.copyOf(requiredPolicyTypes);
    }

    public RuleSettings(List<String> registries, Set<String> allowedServiceTypes, List<IpRange> allowedExternalIPs) {
        this(registries, allowedServiceTypes, allowedExternalIPs, null);
    }

    public RuleSettings(List<String> registries) {
        this(registries, null, null);
    }

    public boolean serviceTypeAllowed(String type) {
        return allowedServiceTypes.contains(type);
    }
}
