package dev.hardening.rules;

import java.time.Instant;
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
 * @param scan                the policy's spec.scan, for {@code image-vulnerabilities} and {@code image-scanned}
 * @param scans               the scans known at evaluation time ({@link #at}); none in a policy's compiled settings
 * @param now                 the instant of the evaluation ({@link #at}), against which scan ages and ignore expiries
 *                            are judged; {@link Instant#EPOCH} until set
 */
public record RuleSettings(List<String> registries, Set<String> allowedServiceTypes, List<IpRange> allowedExternalIPs,
                           Set<String> requiredPolicyTypes, ScanSettings scan, ScanLookup scans, Instant now) {

    /** What a policy that does not say allows: every type except NodePort (a LoadBalancer still needs source ranges). */
    public static final Set<String> DEFAULT_SERVICE_TYPES = Set.of("ClusterIP", "ExternalName", "LoadBalancer");

    public static final RuleSettings DEFAULTS = new RuleSettings(List.of());

    public RuleSettings {
        registries = registries == null ? List.of() : List.copyOf(registries);
        allowedServiceTypes = allowedServiceTypes == null ? DEFAULT_SERVICE_TYPES : Set.copyOf(allowedServiceTypes);
        allowedExternalIPs = allowedExternalIPs == null ? List.of() : List.copyOf(allowedExternalIPs);
        requiredPolicyTypes = requiredPolicyTypes == null ? Set.of(NetworkPolicies.INGRESS) : Set.copyOf(requiredPolicyTypes);
        scan = scan == null ? ScanSettings.DEFAULTS : scan;
        scans = scans == null ? ScanLookup.NONE : scans;
        now = now == null ? Instant.EPOCH : now;
    }

    public RuleSettings(List<String> registries, Set<String> allowedServiceTypes, List<IpRange> allowedExternalIPs,
                        Set<String> requiredPolicyTypes, ScanSettings scan) {
        this(registries, allowedServiceTypes, allowedExternalIPs, requiredPolicyTypes, scan, null, null);
    }

    public RuleSettings(List<String> registries, Set<String> allowedServiceTypes, List<IpRange> allowedExternalIPs,
                        Set<String> requiredPolicyTypes) {
        this(registries, allowedServiceTypes, allowedExternalIPs, requiredPolicyTypes, null);
    }

    public RuleSettings(List<String> registries, Set<String> allowedServiceTypes, List<IpRange> allowedExternalIPs) {
        this(registries, allowedServiceTypes, allowedExternalIPs, null);
    }

    public RuleSettings(List<String> registries) {
        this(registries, null, null);
    }

    /** The same settings for one evaluation: the scans known and the clock, which rules never read themselves. */
    public RuleSettings at(Instant instant, ScanLookup lookup) {
        return new RuleSettings(registries, allowedServiceTypes, allowedExternalIPs, requiredPolicyTypes, scan, lookup, instant);
    }

    public boolean serviceTypeAllowed(String type) {
        return allowedServiceTypes.contains(type);
    }
}
