package dev.hardening.e2e;

import dev.hardening.testing.Manifests;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart installed with the real helm into the real API server; the operator then runs as a local process with
 * exactly the chart's ServiceAccount, RBAC and settings (its ConfigMap), and helm uninstall leaves no
 * ValidatingWebhookConfiguration behind (kube-controller-manager's garbage collector does the removal).
 */
class HelmIT {

    static final String RELEASE = "hardening";
    static final String NS = "hardening-helm";

    private static ControlPlane cluster;
    private static Kubectl kubectl;
    private static ChartRelease chart;

    @BeforeAll
    static void cluster() {
        Pieces.chart();
        cluster = ControlPlane.shared();
        kubectl = cluster.kubectl();
        chart = new ChartRelease(cluster, RELEASE, NS);
    }

    @Test
    @OldestKubernetes
    void installRunsTheOperatorWithTheChartsRbacAndUninstallLeavesNoWebhookConfiguration() {
        Path jar = Pieces.operatorJar();
        assertThat(jar).exists();
        // --take-ownership: on this shared API server an earlier test may have applied the CRD (a fresh cluster needs none)
        Kubectl.Result installed = chart.helm("install", RELEASE, Pieces.CHART_DIR, "--namespace", NS, "--create-namespace",
                "--take-ownership");
        assertThat(installed.exitCode()).as(installed.describe()).isZero();
        assertThat(installed.stdoutLines()).as(installed.describe()).contains("STATUS: deployed");
        assertThat(kubectl.ok("get", "crd", "hardeningpolicies.hardening.dev", "-o",
                "jsonpath={.metadata.annotations.helm\\.sh/resource-policy}")).as("the CRD is the chart's, kept").isEqualTo("keep");
        // the chart's newest fields, kept by the server (one without them drops them silently): see docs/install.md,
        // "Supported Kubernetes versions"; this test also runs against the oldest supported version
        assertThat(kubectl.ok("get", "deployment", "hardening-operator", "-n", NS, "-o",
                "jsonpath={.spec.template.spec.topologySpreadConstraints[*].matchLabelKeys}"))
                .isEqualTo("[\"pod-template-hash\"] [\"pod-template-hash\"]");
        assertThat(kubectl.ok("get", "poddisruptionbudget", "hardening-operator", "-n", NS, "-o",
                "jsonpath={.spec.unhealthyPodEvictionPolicy}")).isEqualTo("AlwaysAllow");

        Path serviceAccount = chart.serviceAccountKubeconfig("helm-operator");
        Kubectl asOperator = kubectl.as(serviceAccount);
        assertThat(asOperator.run("auth", "can-i", "create", "pods", "-n", "default").stdoutLines()).containsExactly("no");

        Map<String, String> settings = chart.settings();
        assertThat(settings).containsEntry("HARDENING_NAMESPACE", NS);
        OperatorProcess operator = OperatorProcess.start(cluster, "helm-it-operator", serviceAccount, settings);
        try {
            String owner = kubectl.ok("get", "validatingwebhookconfiguration", OperatorProcess.CONFIGURATION,
                    "-o", "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}");
            assertThat(owner).isEqualTo("ClusterRole/hardening-operator");
            assertThat(kubectl.ok("get", "validatingwebhookconfiguration", OperatorProcess.CONFIGURATION,
                    "-o", "jsonpath={.webhooks[0].clientConfig.url}"))
                    .isEqualTo("https://127.0.0.1:" + operator.webhookPort() + "/validate");

            // the chart's default policy (Hardened, Warn), kept by the operator, covers a namespace that has none of its own
            Fixtures fixtures = new Fixtures(kubectl, Project.workDir("helm-it"));
            fixtures.namespace("e2e-helm-user");
            fixtures.awaitClusterDefaultPolicy(NS);
            fixtures.awaitPolicyReady(NS, "cluster-default");
            kubectl.ok("delete", "hp", "cluster-default", "-n", NS);
            fixtures.awaitClusterDefaultPolicy(NS);
            // an edit of what the values own is undone; what the admin adds stays
            kubectl.ok("patch", "hp", "cluster-default", "-n", NS, "--type=merge",
                    "-p", "{\"spec\":{\"mode\":\"Enforce\",\"rules\":[{\"id\":\"no-privileged\",\"mode\":\"Off\"}]}}");
            fixtures.awaitClusterDefaultPolicy(NS);
            assertThat(kubectl.ok("get", "hp", "cluster-default", "-n", NS, "-o", "jsonpath={.spec.rules[0].id}/{.spec.rules[0].mode}"))
                    .isEqualTo("no-privileged/Off");
            String pod = Manifests.pod("e2e-helm-user", "plain", Manifests.plainPodSpec("Always", "nginx:1.25"));
            Awaitility.await("a warning from the chart's default policy").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.runWithInput(pod, "create", "--dry-run=server", "-f", "-").stderr()
                            .contains("Warning: [image-digest] container \"app\": "));

            Kubectl.Result uninstalled = chart.helm("uninstall", RELEASE, "--namespace", NS);
            assertThat(uninstalled.stdoutLines()).as(uninstalled.describe()).containsExactly(
                    "These resources were kept due to the resource policy:",
                    "[CustomResourceDefinition] hardeningpolicies.hardening.dev",
                    "[CustomResourceDefinition] imagescans.hardening.dev", "",
                    "release \"" + RELEASE + "\" uninstalled");
            assertThat(operator.stopProcess()).as("the operator exits promptly on SIGTERM, releasing its Lease").isTrue();

            Awaitility.await("garbage collection of the ValidatingWebhookConfiguration").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.run("get", "validatingwebhookconfigurations", "-o", "name").stdout().isEmpty());
            Awaitility.await("garbage collection of the cluster-default policy").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.ok("get", "hp", "-n", NS, "-o", "name").isEmpty());
            assertThat(kubectl.run("get", "crd", "hardeningpolicies.hardening.dev", "-o", "name").stdout())
                    .as("kept on uninstall").isEqualTo("customresourcedefinition.apiextensions.k8s.io/hardeningpolicies.hardening.dev\n");
        } finally {
            operator.close();
            chart.close();
        }
    }

    /** docs/install.md, "Managing the CRD yourself": the admin applies crds/, the chart installs without it. */
    @Test
    void withCrdsInstallFalseTheChartLeavesTheCrdToTheAdmin() {
        new Fixtures(kubectl, Project.workDir("helm-it-no-crds")).installCrd();
        ChartRelease own = new ChartRelease(cluster, "hardening-no-crds", "hardening-no-crds");
        try {
            Kubectl.Result installed = own.helm("install", "hardening-no-crds", Pieces.CHART_DIR, "--namespace",
                    "hardening-no-crds", "--create-namespace", "--set", "crds.install=false");
            assertThat(installed.exitCode()).as("no --take-ownership needed: %s", installed.describe()).isZero();
            assertThat(own.helm("get", "manifest", "hardening-no-crds", "--namespace", "hardening-no-crds").stdout())
                    .as("the release does not hold the CRD").doesNotContain("kind: CustomResourceDefinition");

            Kubectl.Result uninstalled = own.helm("uninstall", "hardening-no-crds", "--namespace", "hardening-no-crds");
            assertThat(uninstalled.stdoutLines()).as(uninstalled.describe())
                    .containsExactly("release \"hardening-no-crds\" uninstalled");
            assertThat(kubectl.ok("get", "crd", "hardeningpolicies.hardening.dev", "-o", "name"))
                    .isEqualTo("customresourcedefinition.apiextensions.k8s.io/hardeningpolicies.hardening.dev\n");
        } finally {
            own.close();
        }
    }
}
