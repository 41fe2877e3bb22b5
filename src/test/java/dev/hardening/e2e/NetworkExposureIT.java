package dev.hardening.e2e;

import dev.hardening.testing.Manifests;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Network exposure through the real API server and kubectl: Services that open the cluster are refused with the exact
 * lines (also under {@code --dry-run=server}), what the policy allows or exempts passes, a legacy NodePort Service can
 * still be labelled; and the audit counts a Deployment no NetworkPolicy isolates, never denying it, until a rule-less
 * {@code podSelector: {}} policy makes the count drop to 0.
 */
@EndToEnd
class NetworkExposureIT {

    static final String NET = "e2e-net";
    static final String LEGACY = "e2e-net-legacy";
    static final String COVERAGE = "e2e-net-coverage";
    static final String DENIED = WebhookIT.DENIED;
    static final String NODE_PORT_LINE = "- [service-node-port] type NodePort opens a port on every node; set spec.type to "
            + "ClusterIP and expose it through an Ingress or a Gateway";

    private static Kubectl kubectl;
    private static Fixtures fixtures;
    private static OperatorProcess operator;

    @BeforeAll
    static void startOperator(EndToEnd.E2e e2e) {
        kubectl = e2e.kubectl();
        fixtures = e2e.fixtures();
        e2e.namespaces(NET, LEGACY, COVERAGE);
        fixtures.apply("""
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata: {name: gate, namespace: e2e-net}
                spec:
                  profile: Hardened
                  mode: Enforce
                  network:
                    allowedExternalIPs: ["203.0.113.0/24"]
                  exemptions:
                  - rules: [service-node-port, service-load-balancer]
                    names: [ingress-nginx-controller]
                    reason: the one public entry point, behind the provider's firewall
                """);
        fixtures.apply(Fixtures.policy(LEGACY, "gate", "Hardened", "Warn"));
        fixtures.apply("""
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata: {name: isolation, namespace: e2e-net-coverage}
                spec:
                  profile: None
                  mode: Enforce
                  rules:
                  - id: network-policy-coverage
                  network:
                    requiredPolicyTypes: [Ingress, Egress]
                """);
        operator = e2e.operator("network-exposure-it-operator", Map.of());
        fixtures.awaitPolicyReady(NET, "gate");
        fixtures.awaitPolicyReady(LEGACY, "gate");
        fixtures.awaitPolicyReady(COVERAGE, "isolation");
        fixtures.awaitWebhookDenies(NET);
    }

    @Test
    void servicesThatOpenTheClusterAreRefusedWithTheExactLinesAlsoUnderServerDryRun() {
        Path nodePort = fixtures.manifest("metrics-nodeport.yaml", service(NET, "metrics", "type: NodePort"));
        Path loadBalancer = fixtures.manifest("web-lb.yaml", service(NET, "web", "type: LoadBalancer"));
        Path externalIp = fixtures.manifest("dns-external-ip.yaml", service(NET, "dns", "externalIPs: [198.51.100.7]"));

        for (String dryRun : List.of("--dry-run=none", "--dry-run=server")) {
            assertThat(kubectl.run("apply", dryRun, "-f", nodePort.toString()).stderrLines()).containsExactly(
                    refusal(nodePort, "metrics", 1), NODE_PORT_LINE);
            assertThat(kubectl.run("apply", dryRun, "-f", loadBalancer.toString()).stderrLines()).containsExactly(
                    refusal(loadBalancer, "web", 2),
                    "- [service-load-balancer] type LoadBalancer without loadBalancerSourceRanges is reachable from any "
                            + "address; set spec.loadBalancerSourceRanges to the client CIDRs that need it",
                    "- [service-node-port] type LoadBalancer also opens a port on every node; set "
                            + "spec.allocateLoadBalancerNodePorts to false (if the load balancer sends traffic to the Pods directly)");
            assertThat(kubectl.run("apply", dryRun, "-f", externalIp.toString()).stderrLines()).containsExactly(
                    refusal(externalIp, "dns", 1),
                    "- [service-external-ips] external IP 198.51.100.7 is not in a range the policy allows: this Service "
                            + "would capture the cluster's traffic to it (CVE-2020-8554); remove spec.externalIPs[0] (or add "
                            + "its range to the policy's spec.network.allowedExternalIPs)");
        }
        for (String name : List.of("metrics", "web", "dns")) {
            assertThat(kubectl.run("get", "service", name, "-n", NET).stderr()).startsWith("Error from server (NotFound)");
        }
    }

    @Test
    void anExemptedServiceAndAnAllowedRangePass() {
        Kubectl.Result exempted = kubectl.runWithInput(service(NET, "ingress-nginx-controller", "type: LoadBalancer"),
                "apply", "-f", "-");
        Kubectl.Result allowedRange = kubectl.runWithInput(service(NET, "edge", "externalIPs: [203.0.113.7]"), "apply", "-f", "-");

        assertThat(exempted.stdoutLines()).as(exempted.describe()).containsExactly("service/ingress-nginx-controller created");
        assertThat(exempted.stderr()).as(exempted.describe()).isEmpty();
        assertThat(allowedRange.stdoutLines()).as(allowedRange.describe()).containsExactly("service/edge created");
        assertThat(allowedRange.stderr()).as(allowedRange.describe()).isEmpty();
    }

    @Test
    void aLegacyNodePortServiceCanStillBeLabelledButNotGivenANewExposure() {
        Kubectl.Result created = kubectl.runWithInput(service(LEGACY, "legacy", "type: NodePort"), "apply", "-f", "-");
        assertThat(created.stdoutLines()).as(created.describe()).containsExactly("service/legacy created");
        kubectl.ok("patch", "hardeningpolicy", "gate", "-n", LEGACY, "--type=merge", "-p", "{\"spec\":{\"mode\":\"Enforce\"}}");
        fixtures.awaitPolicyReady(LEGACY, "gate");

        Kubectl.Result labelled = kubectl.run("label", "service", "legacy", "-n", LEGACY, "team=shop");
        assertThat(labelled.stdoutLines()).as(labelled.describe()).containsExactly("service/legacy labeled");
        assertThat(labelled.stderrLines()).as(labelled.describe()).containsExactly(
                "Warning: [service-node-port] type NodePort opens a port on every node (already present; enforced once changed)");

        Kubectl.Result exposed = kubectl.run("patch", "service", "legacy", "-n", LEGACY, "--type=merge", "-p",
                "{\"spec\":{\"externalIPs\":[\"198.51.100.9\"]}}");
        assertThat(exposed.exitCode()).as(exposed.describe()).isNotZero();
        assertThat(exposed.stderr()).as(exposed.describe())
                .contains(DENIED + "Service \"legacy\" violates HardeningPolicy \"e2e-net-legacy/gate\" (1 problem):")
                .contains("- [service-external-ips] external IP 198.51.100.9 is not in a range the policy allows");
    }

    @Test
    void anUncoveredDeploymentIsCountedNeverDeniedAndARuleLessDefaultDenyCoversIt() {
        Kubectl.Result created = kubectl.runWithInput(Manifests.deployment(COVERAGE, "api", Manifests.hardenedPodSpec("Always")),
                "apply", "-f", "-");
        assertThat(created.stdoutLines()).as(created.describe()).containsExactly("deployment.apps/api created");
        assertThat(created.stderr()).as(created.describe()).isEmpty();

        awaitAudit("1/1", "the Deployment counted as uncovered");
        awaitViolatingObjectsMetric("1.0");

        fixtures.apply("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: default-deny, namespace: e2e-net-coverage}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress, Egress]
                """);
        awaitAudit("0/", "the count dropping to 0 after the default deny");
        awaitViolatingObjectsMetric("0.0");
    }

    /** Polls the coverage policy's {@code hardening_audit_violating_objects} gauge until it reads {@code expected}. */
    private static void awaitViolatingObjectsMetric(String expected) {
        Awaitility.await("hardening_audit_violating_objects of the coverage policy at " + expected)
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(NetworkExposureIT::violatingObjectsMetric, expected::equals);
    }

    /** {@code hardening_audit_violating_objects{policy="e2e-net-coverage/isolation"}} as the operator exposes it. */
    private static String violatingObjectsMetric() {
        String metrics = AuditIT.scrape(operator);
        Matcher m = Pattern.compile("(?m)^hardening_audit_violating_objects\\{[^}]*policy=\"" + COVERAGE
                + "/isolation\"[^}]*} (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("the coverage policy's gauge in\n%s", metrics).isTrue();
        return m.group(1);
    }

    /** Polls {@code violating/coverage-violations} of the coverage namespace's policy status until it starts with {@code expected}. */
    private static void awaitAudit(String expected, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> kubectl.run("get", "hardeningpolicy", "isolation", "-n", COVERAGE, "-o",
                        "jsonpath={.status.audit.objectsViolating}/{.status.audit.violationsByRule.network-policy-coverage}")
                        .stdout(), status -> status.startsWith(expected));
    }

    private static String refusal(Path file, String name, int problems) {
        return "Error from server (Forbidden): error when creating \"" + file + "\": " + DENIED + "Service \"" + name
                + "\" violates HardeningPolicy \"e2e-net/gate\" (" + problems + (problems == 1 ? " problem):" : " problems):");
    }

    private static String service(String namespace, String name, String specFields) {
        return "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name + "\n  namespace: " + namespace + "\nspec:\n"
                + specFields.indent(2) + "  selector:\n    app: " + name + "\n  ports:\n  - port: 80\n    targetPort: 8080\n";
    }
}
