package dev.hardening.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Size;

import java.util.List;

/**
 * {@code spec.network}: what the namespace may expose. Unset lists keep their defaults (null here), which differ from
 * an empty list: {@code allowedServiceTypes: []} allows no NodePort and no LoadBalancer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = SchemaPatch.class, input = "{\"properties\":{"
        + "\"allowedServiceTypes\":{\"x-kubernetes-list-type\":\"set\"},"
        + "\"requiredPolicyTypes\":{\"x-kubernetes-list-type\":\"set\"},"
        + "\"allowedExternalIPs\":{\"items\":{\"maxLength\":49}}}}")
public class NetworkSettings {

    @Size(max = 4)
    @JsonPropertyDescription("Service types the namespace may create, for rules service-node-port (NodePort) and "
            + "service-load-balancer (LoadBalancer). Default ClusterIP, ExternalName, LoadBalancer: no node ports, and "
            + "load balancers only with source ranges. ClusterIP and ExternalName expose nothing and are never judged.")
    private List<ServiceType> allowedServiceTypes;

    @Size(max = 64)
    @JsonPropertyDescription("CIDRs a Service's spec.externalIPs may use, e.g. 203.0.113.0/24 or 2001:db8::/64, for "
            + "rule service-external-ips (CVE-2020-8554). Default none.")
    private List<String> allowedExternalIPs;

    @Size(min = 1, max = 2)
    @JsonPropertyDescription("Directions a NetworkPolicy must isolate for a workload to count as covered, in the audit "
            + "and the CLI (rule network-policy-coverage). Default Ingress.")
    private List<NetworkPolicyType> requiredPolicyTypes;

    public List<ServiceType> getAllowedServiceTypes() {
        return allowedServiceTypes;
    }

    public void setAllowedServiceTypes(List<ServiceType> allowedServiceTypes) {
        this.allowedServiceTypes = allowedServiceTypes;
    }

    public List<String> getAllowedExternalIPs() {
        return allowedExternalIPs;
    }

    public void setAllowedExternalIPs(List<String> allowedExternalIPs) {
        this.allowedExternalIPs = allowedExternalIPs;
    }

    public List<NetworkPolicyType> getRequiredPolicyTypes() {
        return requiredPolicyTypes;
    }

    public void setRequiredPolicyTypes(List<NetworkPolicyType> requiredPolicyTypes) {
        this.requiredPolicyTypes = requiredPolicyTypes;
    }
}
