package dev.hardening.e2e;

import dev.hardening.testing.Manifests;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a namespace admin (the built-in {@code admin} ClusterRole, bound in one namespace, as clusters hand out) may do
 * with the product, through the real API server's RBAC with the chart installed: read the policies that apply to
 * it (the chart aggregates read access into {@code view}, and so into {@code admin}), but not write one anywhere,
 * not touch the ValidatingWebhookConfiguration, not touch the webhook's certificate Secret, and not grant itself the
 * operator's ClusterRole. Whoever can write a policy can relax it.
 */
@EndToEnd
class NamespaceAdminRbacIT {

    static final String NS = "hardening-rbac";
    static final String TEAM = "e2e-team";
    static final String OTHER = "e2e-other-team";
    static final String USER = "system:serviceaccount:" + TEAM + ":team-admin";

    @Test
    void aNamespaceAdminCannotWritePoliciesNorTouchTheWebhookOrItsCertificate(EndToEnd.E2e e2e) {
        ControlPlane cluster = e2e.cluster();
        Kubectl kubectl = e2e.kubectl();
        Fixtures fixtures = e2e.fixtures();
        try (ChartRelease chart = ChartRelease.install(cluster, "rbac", NS);
             OperatorProcess operator = OperatorProcess.start(cluster, "rbac-operator",
                     chart.serviceAccountKubeconfig("rbac-operator"), chart.settings())) {
            fixtures.namespace(TEAM);
            fixtures.namespace(OTHER);
            fixtures.apply(Fixtures.policy(TEAM, "gate", "Baseline", "Enforce"));
            fixtures.apply(Fixtures.namespaceAdmin(TEAM));
            String token = kubectl.ok("create", "token", "team-admin", "-n", TEAM, "--duration=1h").trim();
            Kubectl admin = kubectl.as(cluster.kubeconfigWithToken("team-admin", token));

            // the role is the real one, filled by aggregation: the admin runs its namespace and reads its policies
            Awaitility.await("the admin role aggregated, with the chart's read access to policies")
                    .atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> admin.run("get", "hardeningpolicies", "-n", TEAM, "-o", "name").stdout()
                            .equals("hardeningpolicy.hardening.dev/gate\n"));
            assertThat(admin.run("auth", "can-i", "create", "deployments", "-n", TEAM).stdoutLines()).containsExactly("yes");
            assertThat(admin.run("auth", "can-i", "create", "rolebindings", "-n", TEAM).stdoutLines()).containsExactly("yes");
            Path deployment = fixtures.manifest("team-deployment.yaml",
                    Manifests.deployment(TEAM, "web", Manifests.hardenedPodSpec("Always")));
            assertThat(admin.run("apply", "-f", deployment.toString()).stdoutLines()).containsExactly("deployment.apps/web created");

            for (String namespace : List.of(TEAM, OTHER, NS)) {
                Kubectl.Result created = admin.runWithInput(Fixtures.policy(namespace, "relaxed", "None", "Audit"),
                        "create", "-f", "-");
                assertThat(created.stderrLines()).as(created.describe()).containsExactly(
                        "Error from server (Forbidden): error when creating \"STDIN\": hardeningpolicies.hardening.dev is "
                                + "forbidden: User \"" + USER + "\" cannot create resource \"hardeningpolicies\" in API "
                                + "group \"hardening.dev\" in the namespace \"" + namespace + "\"");
            }
            assertForbidden(admin.run("patch", "hardeningpolicy", "gate", "-n", TEAM, "--type=merge",
                    "-p", "{\"spec\":{\"mode\":\"Audit\"}}"), "patch", "hardeningpolicies", "hardening.dev", TEAM);
            // (kubectl patch --subresource=status reads the subresource first, which is refused already)
            assertThat(admin.run("auth", "can-i", "patch", "hardeningpolicies", "--subresource=status", "-n", TEAM)
                    .stdoutLines()).as("status of a policy").containsExactly("no");
            assertForbidden(admin.run("delete", "hardeningpolicy", "gate", "-n", TEAM), "delete", "hardeningpolicies",
                    "hardening.dev", TEAM);

            String webhook = OperatorProcess.CONFIGURATION;
            assertForbidden(admin.run("delete", "validatingwebhookconfiguration", webhook), "delete",
                    "validatingwebhookconfigurations", "admissionregistration.k8s.io", null);
            // kubectl patch reads the object first: refused at the read already; the patch itself is not granted either
            assertForbidden(admin.run("patch", "validatingwebhookconfiguration", webhook, "--type=json",
                    "-p", "[{\"op\":\"replace\",\"path\":\"/webhooks/0/failurePolicy\",\"value\":\"Ignore\"}]"),
                    "get", "validatingwebhookconfigurations", "admissionregistration.k8s.io", null);
            assertThat(admin.run("auth", "can-i", "patch", "validatingwebhookconfigurations/" + webhook).stdoutLines())
                    .containsExactly("no");

            String secret = chart.settings().get("HARDENING_CERTIFICATES_SECRET_NAME");
            assertThat(kubectl.run("get", "secret", secret, "-n", NS).exitCode()).as("the certificate Secret exists").isZero();
            for (String verb : List.of("get", "delete")) {
                assertForbidden(admin.run(verb, "secret", secret, "-n", NS), verb, "secrets", "", NS);
            }
            assertForbidden(admin.run("patch", "secret", secret, "-n", NS, "--type=merge", "-p", "{\"data\":{}}"),
                    "get", "secrets", "", NS);
            assertThat(admin.run("auth", "can-i", "patch", "secrets/" + secret, "-n", NS).stdoutLines()).containsExactly("no");

            // no way round it: binding the operator's own ClusterRole would grant what the admin does not hold
            Kubectl.Result escalated = admin.run("create", "rolebinding", "borrow-operator", "-n", TEAM,
                    "--clusterrole=hardening-operator", "--serviceaccount=" + TEAM + ":team-admin");
            assertThat(escalated.exitCode()).as(escalated.describe()).isNotZero();
            assertThat(escalated.stderr()).as(escalated.describe())
                    .startsWith("error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "
                            + "\"borrow-operator\" is forbidden: user \"" + USER + "\" (groups=")
                    .contains("is attempting to grant RBAC permissions not currently held");

            assertThat(kubectl.ok("get", "hardeningpolicy", "gate", "-n", TEAM, "-o", "jsonpath={.spec.mode}"))
                    .as("the policy is as its owner left it").isEqualTo("Enforce");
            assertThat(operator.alive()).isTrue();
        } finally {
            kubectl.run("delete", "namespace", TEAM, OTHER, "--wait=false");
        }
    }

    /** kubectl's one line for an RBAC refusal; {@code namespace} null for a cluster-scoped resource. */
    private static void assertForbidden(Kubectl.Result result, String verb, String resource, String group, String namespace) {
        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderrLines()).as(result.describe()).singleElement().asString()
                .startsWith("Error from server (Forbidden): ")
                .endsWith("is forbidden: User \"" + USER + "\" cannot " + verb + " resource \"" + resource
                        + "\" in API group \"" + group + "\" "
                        + (namespace == null ? "at the cluster scope" : "in the namespace \"" + namespace + "\""));
    }
}
