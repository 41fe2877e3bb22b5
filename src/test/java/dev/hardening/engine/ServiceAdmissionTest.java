package dev.hardening.engine;

import dev.hardening.testing.Yaml;
import dev.hardening.rules.Target;
import dev.hardening.testing.PolicyYaml;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Services through the same decision as workloads: the exact lines users read, only the network rules run, the
 * policy's network settings and object-named exemptions apply, and the update ratchet lets a legacy exposure be
 * labelled while a new one is denied.
 */
class ServiceAdmissionTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final CompiledPolicy HARDENED = compile("profile: Hardened");

    @Test
    void everyExposureIsReportedWithItsPathAndFix() {
        Target service = service("metrics", """
                type: LoadBalancer
                externalIPs: [203.0.113.10]
                ports:
                - port: 9090
                """);

        assertThat(lines(AdmissionDecider.findings(service, null, false, List.of(HARDENED), NOW))).containsExactly(
                "DENY [service-external-ips] external IP 203.0.113.10 is not in a range the policy allows: this Service "
                        + "would capture the cluster's traffic to it (CVE-2020-8554); remove spec.externalIPs[0] (or add its "
                        + "range to the policy's spec.network.allowedExternalIPs)",
                "DENY [service-load-balancer] type LoadBalancer without loadBalancerSourceRanges is reachable from any "
                        + "address; set spec.loadBalancerSourceRanges to the client CIDRs that need it",
                "DENY [service-node-port] type LoadBalancer also opens a port on every node; set "
                        + "spec.allocateLoadBalancerNodePorts to false (if the load balancer sends traffic to the Pods directly)");
    }

    @Test
    void aClusterIpServicePassesAndNoPodRuleJudgesIt() {
        Target service = service("api", """
                ports:
                - port: 80
                """);

        assertThat(AdmissionDecider.findings(service, null, false, List.of(HARDENED), NOW)).isEmpty();
    }

    @Test
    void baselineAndRestrictedStayThePodSecurityStandards() {
        Target nodePort = service("web", "type: NodePort\nports:\n- port: 80\n");

        for (String profile : List.of("Baseline", "Restricted")) {
            assertThat(AdmissionDecider.findings(nodePort, null, false, List.of(compile("profile: " + profile)), NOW))
                    .as(profile).isEmpty();
        }
    }

    @Test
    void thePolicyAllowsRangesTypesAndNamedObjects() {
        CompiledPolicy policy = compile("""
                network:
                  allowedServiceTypes: [ClusterIP, NodePort]
                  allowedExternalIPs: ["203.0.113.0/24"]
                exemptions:
                - rules: [service-load-balancer]
                  names: [ingress-nginx-controller]
                  reason: the one public entry point, behind the provider's firewall
                """);

        assertThat(AdmissionDecider.findings(service("web", "type: NodePort\nexternalIPs: [203.0.113.10]\n"), null, false,
                List.of(policy), NOW)).isEmpty();
        assertThat(lines(AdmissionDecider.findings(service("web", "type: LoadBalancer\n"), null, false, List.of(policy), NOW)))
                .containsExactly("DENY [service-load-balancer] type LoadBalancer is not allowed by the policy; set spec.type "
                        + "to ClusterIP (or add LoadBalancer to the policy's spec.network.allowedServiceTypes)");
        assertThat(AdmissionDecider.findings(service("ingress-nginx-controller", "type: LoadBalancer\n"), null, false,
                List.of(policy), NOW)).extracting(Finding::outcome).containsExactly(FindingVerdict.EXEMPT);
    }

    @Test
    void aLegacyNodePortServiceCanBeLabelledButANewExposureIsDenied() {
        Target legacy = service("legacy", "type: NodePort\nports:\n- port: 80\n  nodePort: 30080\n");
        Target labelled = service("legacy", "type: NodePort\nports:\n- port: 80\n  nodePort: 30080\n", "team: shop");
        Target clusterIp = service("legacy", "type: ClusterIP\nports:\n- port: 80\n");
        Target withExternalIp = service("legacy", "type: NodePort\nexternalIPs: [198.51.100.1]\nports:\n- port: 80\n  nodePort: 30080\n");

        assertThat(lines(AdmissionDecider.findings(labelled, legacy, false, List.of(HARDENED), NOW)))
                .containsExactly("WARN [service-node-port] type NodePort opens a port on every node; set spec.type to "
                        + "ClusterIP and expose it through an Ingress or a Gateway (ALREADY_PRESENT)");
        assertThat(lines(AdmissionDecider.findings(labelled, clusterIp, false, List.of(HARDENED), NOW)))
                .containsExactly("DENY [service-node-port] type NodePort opens a port on every node; set spec.type to "
                        + "ClusterIP and expose it through an Ingress or a Gateway");
        assertThat(AdmissionDecider.findings(withExternalIp, legacy, false, List.of(HARDENED), NOW))
                .extracting(f -> f.violation().ruleId() + " " + f.outcome())
                .containsExactly("service-external-ips DENY", "service-node-port WARN");
    }

    private static List<String> lines(List<Finding> findings) {
        return findings.stream().map(f -> f.outcome() + " " + f.violation().describe()
                + (f.downgrade() == null ? "" : " (" + f.downgrade() + ")")).toList();
    }

    private static Target service(String name, String spec) {
        return service(name, spec, null);
    }

    private static Target service(String name, String spec, String label) {
        String yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name + "\n"
                + (label == null ? "" : "  labels:\n    " + label + "\n")
                + "spec:\n" + spec.indent(2);
        return Yaml.target(yaml);
    }

    private static CompiledPolicy compile(String spec) {
        PolicyCompiler.Compilation compilation = PolicyCompiler.compile(PolicyYaml.policy("shop", "p", spec));
        assertThat(compilation.errors()).isEmpty();
        return compilation.policy();
    }
}
