package dev.hardening.e2e;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    private static Path helmHome;

    @BeforeAll
    static void cluster() {
        Pieces.chart();
        cluster = ControlPlane.shared();
        kubectl = cluster.kubectl();
        helmHome = Project.workDir("helm-it");
    }

    @Test
    void installRunsTheOperatorWithTheChartsRbacAndUninstallLeavesNoWebhookConfiguration() {
        Path jar = Pieces.operatorJar();
        assertThat(jar).exists();
        Kubectl.Result installed = helm("install", RELEASE, Pieces.CHART_DIR, "--namespace", NS, "--create-namespace");
        assertThat(installed.exitCode()).as(installed.describe()).isZero();
        assertThat(installed.stdoutLines()).as(installed.describe()).contains("STATUS: deployed");
        assertThat(kubectl.ok("get", "hp", "-n", NS, "-o", "name")).isEqualTo("hardeningpolicy.hardening.dev/cluster-default\n");

        String token = kubectl.ok("create", "token", "hardening-operator", "-n", NS, "--duration=1h").trim();
        Path serviceAccount = cluster.kubeconfigWithToken("helm-operator", token);
        Kubectl asOperator = kubectl.as(serviceAccount);
        assertThat(asOperator.run("auth", "can-i", "create", "pods", "-n", "default").stdoutLines()).containsExactly("no");

        OperatorProcess operator = OperatorProcess.start(cluster, "helm-it-operator", serviceAccount, chartSettings());
        try {
            String owner = kubectl.ok("get", "validatingwebhookconfiguration", OperatorProcess.CONFIGURATION,
                    "-o", "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}");
            assertThat(owner).isEqualTo("ClusterRole/hardening-operator");
            assertThat(kubectl.ok("get", "validatingwebhookconfiguration", OperatorProcess.CONFIGURATION,
                    "-o", "jsonpath={.webhooks[0].clientConfig.url}"))
                    .isEqualTo("https://127.0.0.1:" + operator.webhookPort() + "/validate");

            // the chart's default policy (Hardened, Warn) covers a namespace that has none of its own
            new Fixtures(kubectl, helmHome).namespace("e2e-helm-user");
            new Fixtures(kubectl, helmHome).awaitPolicyReady(NS, "cluster-default");
            String pod = Manifests.pod("e2e-helm-user", "plain", Manifests.plainPodSpec("Always", "nginx:1.25"));
            Awaitility.await("a warning from the chart's default policy").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.runWithInput(pod, "create", "--dry-run=server", "-f", "-").stderr()
                            .contains("Warning: [image-digest] container \"app\": "));

            Kubectl.Result uninstalled = helm("uninstall", RELEASE, "--namespace", NS);
            assertThat(uninstalled.stdoutLines()).as(uninstalled.describe()).containsExactly("release \"" + RELEASE + "\" uninstalled");
            assertThat(operator.stopProcess()).as("the operator exits promptly on SIGTERM, releasing its Leases").isTrue();

            Awaitility.await("garbage collection of the ValidatingWebhookConfiguration").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.run("get", "validatingwebhookconfigurations", "-o", "name").stdout().isEmpty());
        } finally {
            operator.close();
            helm("uninstall", RELEASE, "--namespace", NS, "--ignore-not-found");
        }
    }

    /** The chart's ConfigMap, which the Deployment passes to the container with envFrom. */
    private static Map<String, String> chartSettings() {
        String lines = kubectl.ok("get", "configmap", "hardening-operator", "-n", NS, "-o",
                "go-template={{range $k, $v := .data}}{{$k}}={{$v}}{{\"\\n\"}}{{end}}");
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : lines.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertThat(env).containsEntry("HARDENING_NAMESPACE", NS);
        return env;
    }

    private static Kubectl.Result helm(String... args) {
        List<String> command = new ArrayList<>();
        command.add(cluster.tools().helm().toString());
        command.add("--kubeconfig=" + cluster.kubeconfig());
        command.addAll(List.of(args));
        return Kubectl.exec(command, null, Map.of(
                "HELM_CACHE_HOME", helmHome.resolve("cache").toString(),
                "HELM_CONFIG_HOME", helmHome.resolve("config").toString(),
                "HELM_DATA_HOME", helmHome.resolve("data").toString()));
    }
}
