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
 * {@code service-external-ips}: CVE-2020-8554 has no fix in Kubernetes; the built-in DenyServiceExternalIPs plugin is
 * all-or-nothing for the cluster, so the policy lists the ranges a namespace may use instead.
 */
public final class ServiceExternalIpsRule extends ServiceRule {

    static final String CVE = "CVE-2020-8554";

    public ServiceExternalIpsRule() {
        super(new RuleInfo("service-external-ips", Profile.Hardened, "Service external IPs",
                "Every entry of a Service's spec.externalIPs lies in one of the CIDRs of the policy's "
                        + "spec.network.allowedExternalIPs (none by default).",
                CVE + ": whoever can create a Service can claim any external IP and intercept the traffic that Pods "
                        + "and nodes send to it.",
                "Remove spec.externalIPs and expose the Service through a LoadBalancer, an Ingress or a Gateway, or "
                        + "add the range your platform owns to the policy's spec.network.allowedExternalIPs.",
                new RuleExample(Examples.service("externalIPs:\n- 203.0.113.10", 80), Examples.service("", 80))));
    }

    @Override
    public List<Violation> evaluate(ServiceTarget target, RuleSettings settings) {
        List<String> ips = target.spec().getExternalIPs();
        if (ips == null || ips.isEmpty()) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < ips.size(); i++) {
            String path = "spec.externalIPs[" + i + "]";
            String ip = ips.get(i);
            Optional<byte[]> address = IpRange.address(ip);
            if (address.isEmpty()) {
                violations.add(serviceViolation(path, "external IP \"" + ip + "\" is not an IP address", Fixes.remove(path)));
            } else if (settings.allowedExternalIPs().stream().noneMatch(range -> range.contains(address.get()))) {
                violations.add(serviceViolation(path, "external IP " + ip + " is not in a range the policy allows: "
                                + "this Service would capture the cluster's traffic to it (" + CVE + ")",
                        Fixes.remove(path) + " (or add its range to the policy's spec.network.allowedExternalIPs)"));
            }
        }
        return violations;
    }
}
