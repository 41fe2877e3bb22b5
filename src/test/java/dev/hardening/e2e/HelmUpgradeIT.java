package dev.hardening.e2e;

import dev.hardening.testing.Manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * helm upgrade from the chart of an earlier commit (its CRD in the chart's crds/ folder, its cluster-default policy a
 * template) to the working tree's, with real Helm against the real API server, while admissions go through the API
 * server without pause: none fails, none gets a wrong verdict, the policies keep their status, the CRD becomes the
 * release's (kept on uninstall), the operator takes the cluster-default policy over, and helm uninstall removes it
 * and the webhook configuration but keeps the CRD.
 *
 * <p>There is no kubelet: the harness rolls the two replicas as the Deployment would under its PodDisruptionBudget,
 * one at a time, the second only once the first is ready again behind the Service. Each old process gets SIGTERM
 * (its readiness turns DOWN, the harness as EndpointSlice controller withdraws its endpoint, and it keeps serving for
 * its shutdown delay), then a new process with the upgraded ConfigMap starts in its place.
 */
class HelmUpgradeIT {

    /** The last commit whose chart had the CRD in crds/ and the cluster-default policy as a template. */
    static final String PREVIOUS = "1e2148c";
    static final String RELEASE = "upgrade";
    static final String NS = "hardening-upgrade";
    static final String APP = "e2e-upgrade";
    static final String WATCHED = "e2e-upgrade-warn";
    static final String CRD = "hardeningpolicies.hardening.dev";

    @Test
    void upgradingFromTheCrdsFolderChartFailsNoAdmissionAndKeepsEveryPolicy() {
        Pieces.operatorJar();
        ControlPlane cluster = ControlPlane.shared();
        Kubectl kubectl = cluster.kubectl();
        Fixtures fixtures = new Fixtures(kubectl, Project.workDir("upgrade-it"));
        Path previousChart = previousChart();
        String plain = Manifests.pod(APP, "plain", Manifests.plainPodSpec("Always", "nginx:1.25"));
        String hardened = Manifests.pod(APP, "hardened", Manifests.hardenedPodSpec("Always"));
        ChartRelease chart = new ChartRelease(cluster, RELEASE, NS);
        try {
            // one value of the admin's own, which the upgrade must carry over
            Kubectl.Result installed = chart.helm("install", RELEASE, previousChart.toString(), "--namespace", NS,
                    "--create-namespace", "--set", "audit.interval=5m");
            assertThat(installed.exitCode()).as(installed.describe()).isZero();
            try (Replicas replicas = Replicas.start(cluster, chart, "upgrade", 2)) {
                fixtures.namespace(APP);
                fixtures.namespace(WATCHED);
                fixtures.apply(Fixtures.policy(APP, "gate", "Hardened", "Enforce"));
                fixtures.apply(Fixtures.policy(WATCHED, "watch", "Baseline", "Warn"));
                fixtures.awaitPolicyReady(APP, "gate");
                fixtures.awaitPolicyReady(WATCHED, "watch");
                fixtures.awaitWebhookDenies(APP);
                Map<String, String> before = Map.of("gate", identity(kubectl, APP, "gate"), "watch", identity(kubectl, WATCHED, "watch"));

                // two clients at once, as several users deploying
                String denial = "Pod \"plain\" violates HardeningPolicy \"" + APP + "/gate\"";
                try (AdmissionDriver driver = new AdmissionDriver(kubectl, hardened, plain, denial).start();
                     AdmissionDriver other = new AdmissionDriver(kubectl, hardened, plain, denial).start()) {
                    Awaitility.await("admissions before the upgrade").atMost(Duration.ofSeconds(30))
                            .until(() -> driver.answers().size() >= 6 && other.answers().size() >= 6);

                    // the old chart's crds/ folder left the CRD out of the release: Helm will not adopt it unasked
                    Kubectl.Result refused = chart.helm("upgrade", RELEASE, Pieces.CHART_DIR, "--namespace", NS);
                    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
                    assertThat(refused.stderr()).as(refused.describe()).contains("CustomResourceDefinition \"" + CRD
                            + "\" in namespace \"\" exists and cannot be imported into the current release");
                    assertThat(chart.helm("history", RELEASE, "--namespace", NS, "-o", "json").stdout())
                            .as("the refused upgrade recorded no revision").contains("\"revision\":1,").doesNotContain("\"revision\":2");
                    // --reuse-values would keep the old chart's defaults too, and they have no crds.* values
                    Kubectl.Result reused = chart.helm("upgrade", RELEASE, Pieces.CHART_DIR, "--namespace", NS,
                            "--take-ownership", "--reuse-values");
                    assertThat(reused.exitCode()).as(reused.describe()).isNotZero();
                    assertThat(reused.stderr()).as(reused.describe()).contains("crds");
                    Kubectl.Result upgraded = chart.helm("upgrade", RELEASE, Pieces.CHART_DIR, "--namespace", NS,
                            "--take-ownership", "--reset-then-reuse-values");
                    assertThat(upgraded.exitCode()).as(upgraded.describe()).isZero();
                    assertThat(chart.settings()).as("the admin's value kept, the new chart's defaults added")
                            .containsEntry("HARDENING_AUDIT_INTERVAL", "5m")
                            .containsEntry("HARDENING_DEFAULT_POLICY_ENABLED", "true");
                    for (int i = 0; i < replicas.size(); i++) {
                        roll(replicas, i);
                    }
                    // Helm deleted the old chart's templated cluster-default policy; the operator's leader makes it
                    fixtures.awaitClusterDefaultPolicy(NS);
                    int afterRoll = driver.answers().size();
                    Awaitility.await("admissions after the roll").atMost(Duration.ofSeconds(30))
                            .until(() -> driver.answers().size() >= afterRoll + 6);
                    driver.close();
                    other.close();

                    List<AdmissionDriver.Answer> answers = new ArrayList<>(driver.answers());
                    answers.addAll(other.answers());
                    List<AdmissionDriver.Answer> failed = answers.stream()
                            .filter(a -> !a.asExpected() && a.detail().contains("failed calling webhook")).toList();
                    List<AdmissionDriver.Answer> wrong = answers.stream()
                            .filter(a -> !a.asExpected() && !failed.contains(a)).toList();
                    System.err.printf("[e2e] upgrade: %d admissions (2 clients) before, during and after the upgrade and the roll: "
                            + "%d failed, %d wrong%n", answers.size(), failed.size(), wrong.size());
                    assertThat(failed).as("admissions that failed").isEmpty();
                    assertThat(wrong).as("admissions with a wrong verdict").isEmpty();
                }

                // the policies and their status, as they were
                assertThat(identity(kubectl, APP, "gate")).isEqualTo(before.get("gate"));
                assertThat(identity(kubectl, WATCHED, "watch")).isEqualTo(before.get("watch"));
                // the CRD is now the release's, with today's generated schema, kept on uninstall
                assertThat(kubectl.ok("get", "crd", CRD, "-o", "jsonpath={.metadata.annotations.meta\\.helm\\.sh/release-name}/"
                        + "{.metadata.annotations.helm\\.sh/resource-policy}")).isEqualTo(RELEASE + "/keep");
                assertThat(hasGeneratedSchema(kubectl)).as("the CRD's schema is that of crds/").isTrue();

                Kubectl.Result uninstalled = chart.helm("uninstall", RELEASE, "--namespace", NS);
                assertThat(uninstalled.exitCode()).as(uninstalled.describe()).isZero();
                for (int i = 0; i < replicas.size(); i++) {
                    replicas.process(i).stopProcess();
                }
                Awaitility.await("garbage collection of the webhook configuration and the cluster-default policy")
                        .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> kubectl.run("get", "validatingwebhookconfiguration", OperatorProcess.CONFIGURATION,
                                "--ignore-not-found", "-o", "name").stdout().isEmpty()
                                && kubectl.ok("get", "hp", "-n", NS, "-o", "name").isEmpty());
                assertThat(kubectl.ok("get", "crd", CRD, "-o", "name")).as("kept on uninstall")
                        .isEqualTo("customresourcedefinition.apiextensions.k8s.io/" + CRD + "\n");
                assertThat(kubectl.ok("get", "hp", "gate", "-n", APP, "-o", "name")).as("and with it the policies")
                        .isEqualTo("hardeningpolicy.hardening.dev/gate\n");
            }
        } finally {
            chart.close();
            kubectl.run("delete", "namespace", APP, WATCHED, "--wait=false");
        }
    }

    /**
     * One replica replaced as the Deployment replaces a Pod: its endpoint withdrawn and SIGTERM to the old process (it
     * keeps serving what is in flight through its shutdown delay), then a new one with the upgraded settings, ready
     * behind the Service before this returns.
     */
    private static void roll(Replicas replicas, int index) {
        long old = replicas.process(index).pid();
        assertThat(replicas.terminate(index)).as("replica %d exits on SIGTERM", index).isTrue();
        replicas.restart(index);
        assertThat(replicas.process(index).pid()).isNotEqualTo(old);
        Awaitility.await("replica " + index + " ready behind the Service").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> replicas.describeEndpoints().lines()
                        .anyMatch(l -> l.contains(replicas.address(index)) && l.trim().endsWith("true")));
    }

    /** uid, generation, observed generation and Ready of a policy. */
    private static String identity(Kubectl kubectl, String namespace, String name) {
        return kubectl.ok("get", "hp", name, "-n", namespace, "-o", "jsonpath={.metadata.uid}/{.metadata.generation}/"
                + "{.status.observedGeneration}/{.status.conditions[?(@.type==\"Ready\")].status}");
    }

    /** Whether the CRD in the API server has the schema of crds/ (the file generated from the model today). */
    private static boolean hasGeneratedSchema(Kubectl kubectl) {
        try {
            JsonNode live = new ObjectMapper().readTree(kubectl.ok("get", "crd", CRD, "-o", "json"));
            JsonNode generated = new YAMLMapper().readTree(Pieces.crd().toFile());
            return live.path("spec").path("versions").get(0).path("schema")
                    .equals(generated.path("spec").path("versions").get(0).path("schema"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** charts/hardening-operator as it was at {@link #PREVIOUS}, from git history. */
    private static Path previousChart() {
        Path dir = Project.workDir("upgrade-previous-chart");
        Kubectl.Result extracted = Kubectl.exec(List.of("bash", "-c", "git -C \"$1\" archive " + PREVIOUS
                + " charts/hardening-operator | tar -x -C \"$2\"", "extract", Project.root().toString(), dir.toString()),
                null, Map.of());
        assertThat(extracted.exitCode()).as(extracted.describe()).isZero();
        Path chart = dir.resolve(Pieces.CHART_DIR);
        assertThat(chart.resolve("crds")).as("the previous chart's layout").isDirectory();
        return chart;
    }
}
