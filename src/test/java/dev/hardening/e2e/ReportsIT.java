package dev.hardening.e2e;

import dev.hardening.testing.Manifests;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenReports from the audit, through the real API server, written by an operator with a copy of the chart's RBAC:
 * the operator stays Ready without the CRDs and says so; with them, one Report per namespace and policy lists each
 * violating object once with the right result, shrinks when a workload is fixed, holds its cap with exact counts,
 * and is garbage-collected with its policy.
 */
@EndToEnd
class ReportsIT {

    static final String NS = "e2e-reports";
    static final String CAP_NS = "e2e-reports-cap";
    static final int CAP_PODS = 1_200;
    static final int MAX_RESULTS = 100;

    private static ControlPlane cluster;
    private static Kubectl kubectl;
    private static Fixtures fixtures;
    private static OperatorIdentity identity;

    @BeforeAll
    static void cluster(EndToEnd.E2e e2e) {
        cluster = e2e.cluster();
        kubectl = e2e.kubectl();
        fixtures = e2e.fixtures();
        identity = OperatorIdentity.create(cluster, "reports-it-operator");
    }

    @AfterAll
    static void cleanUp() {
        if (identity != null) {
            identity.delete();
        }
        if (kubectl != null) {
            kubectl.run("delete", "namespace", NS, CAP_NS, "--wait=false", "--ignore-not-found");
        }
    }

    @Test
    void reportsListEachViolatingObjectOnceFollowFixesHoldTheirCapAndGoWithThePolicy() {
        OpenReportsCrds.uninstall(kubectl);
        fixtures.namespace(NS);
        fixtures.namespace(CAP_NS);
        // created before the operator registers its webhook: the Enforce policies below would refuse them
        kubectl.runWithInput(String.join("---\n",
                Manifests.deployment(NS, "web", privileged("app")),
                Manifests.pod(NS, "cache", hostPath()),
                Manifests.pod(NS, "legacy", privileged("legacy")),
                Manifests.pod(NS, "fine", Manifests.plainPodSpec("Always", "nginx:1.25"))), "create", "-f", "-");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < CAP_PODS; i++) {
            many.append(Manifests.pod(CAP_NS, "p-" + String.format("%05d", i), privileged("app"))).append("---\n");
        }
        assertThat(kubectl.runWithInput(many.toString(), "create", "-f", "-", "-o", "name").exitCode()).isZero();
        kubectl.runWithInput(POLICY, "apply", "-f", "-");
        kubectl.runWithInput(Fixtures.policy(CAP_NS, "cap", "Baseline", "Enforce"), "apply", "-f", "-");

        try (OperatorProcess operator = OperatorProcess.start(cluster, "reports-it-operator", identity.kubeconfig(cluster),
                Map.of("HARDENING_AUDIT_INTERVAL", "3s", "HARDENING_REPORTS_MAX_RESULTS", Integer.toString(MAX_RESULTS)))) {
            // no CRDs: the operator is Ready (start() waited for it), audits, and says why there is no report
            fixtures.awaitPolicyReady(NS, "strict");
            awaitCondition(NS, "strict", "Reported", "False");
            assertThat(condition(NS, "strict", "Reported", "reason")).isEqualTo("CrdNotInstalled");
            assertThat(condition(NS, "strict", "Reported", "message")).isEqualTo("openreports.io/v1alpha1 Report not "
                    + "served by the API server: install the CRDs (chart value reports.installCrds=true); the audit and "
                    + "its status are unaffected");
            assertThat(condition(NS, "strict", "Audited", "status")).isEqualTo("True");
            assertThat(operator.logTail(400)).containsOnlyOnce("openreports.io/v1alpha1 Report is not served by the API server");

            OpenReportsCrds.install(kubectl);
            awaitCondition(NS, "strict", "Reported", "True");
            Kubectl.Result reports = awaitReports(NS, table -> table.size() == 2);
            assertThat(reports.stdoutLines().get(0)).matches("NAME +PASS +FAIL +WARN +ERROR +SKIP +AGE");
            assertThat(reports.stdoutLines().get(1)).matches("hardening\\.e2e-reports\\.strict +1 +1 +1 +0 +1 +\\S+");
            assertThat(results(NS, "hardening.e2e-reports.strict")).containsExactly(
                    "Pod/cache no-host-path warn",
                    "Pod/legacy no-privileged skip",
                    "Deployment/web no-privileged fail");
            assertThat(report(NS, "hardening.e2e-reports.strict", "{.source}/{.results[2].policy}/"
                    + "{.results[2].source}/{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}"))
                    .isEqualTo("hardening-operator/e2e-reports/strict/hardening-operator/HardeningPolicy/strict");
            assertThat(report(NS, "hardening.e2e-reports.strict", "{.results[2].message}"))
                    .startsWith("spec.template.spec.containers[0].securityContext.privileged: ");
            assertThat(report(NS, "hardening.e2e-reports.strict", "{.results[1].message}"))
                    .endsWith(" (exempted by spec.exemptions[0]: vendor image, ticket SEC-9)");
            String written = report(NS, "hardening.e2e-reports.strict", "{.metadata.resourceVersion}");

            // the cap holds with exact counts
            Kubectl.Result capped = awaitReports(CAP_NS, table -> table.size() == 2);
            assertThat(capped.stdoutLines().get(1)).matches("hardening\\.e2e-reports-cap\\.cap +0 +" + CAP_PODS + " +0 +0 +0 +\\S+");
            assertThat(report(CAP_NS, "hardening.e2e-reports-cap.cap", "{.configuration.limits.maxResults}/{.results[0].resources[0].name}/"
                    + "{.results[" + (MAX_RESULTS - 1) + "].resources[0].name}"))
                    .isEqualTo(MAX_RESULTS + "/p-00000/p-" + String.format("%05d", MAX_RESULTS - 1));
            assertThat(results(CAP_NS, "hardening.e2e-reports-cap.cap")).hasSize(MAX_RESULTS);
            assertThat(kubectl.ok("get", "report", "hardening.e2e-reports-cap.cap", "-n", CAP_NS, "-o", "json").length())
                    .as("bytes of a capped report").isLessThan(100_000);

            // unchanged findings are not written again, audit after audit (every 3 s here)
            Awaitility.await("two more audits").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> auditTime(NS, "strict"), t -> !t.isEmpty());
            String first = auditTime(NS, "strict");
            Awaitility.await("a later audit").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !auditTime(NS, "strict").equals(first));
            assertThat(report(NS, "hardening.e2e-reports.strict", "{.metadata.resourceVersion}")).isEqualTo(written);

            // a fixed workload leaves the report
            kubectl.ok("patch", "deployment", "web", "-n", NS, "--type=json", "-p",
                    "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/securityContext/privileged\",\"value\":false}]");
            Awaitility.await("the fixed Deployment leaves the report").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> results(NS, "hardening.e2e-reports.strict"),
                            r -> r.equals(List.of("Pod/cache no-host-path warn", "Pod/legacy no-privileged skip")));
            assertThat(report(NS, "hardening.e2e-reports.strict", "{.summary.pass}/{.summary.fail}/{.summary.warn}/{.summary.skip}"))
                    .isEqualTo("2/0/1/1");

            // the policy goes, and its report with it (garbage collector: the policy owns it)
            kubectl.ok("delete", "hp", "strict", "-n", NS);
            awaitReports(NS, table -> table.isEmpty());
        }
    }

    /**
     * With the default audit interval (10 minutes), a Warn-mode admission with violations moves VIOLATIONS, the
     * status and the report within seconds: the leader re-audits the namespace whose workloads changed.
     */
    @Test
    void aWarnModeAdmissionMovesTheCountsWithinSeconds() {
        OpenReportsCrds.install(kubectl);
        fixtures.namespace(FRESH_NS);
        kubectl.runWithInput(Fixtures.policy(FRESH_NS, "warn", "Baseline", "Warn"), "apply", "-f", "-");
        try (OperatorProcess ignored = OperatorProcess.start(cluster, "reports-it-fresh", identity.kubeconfig(cluster), Map.of())) {
            fixtures.awaitPolicyReady(FRESH_NS, "warn");
            awaitCondition(FRESH_NS, "warn", "Audited", "True");
            assertThat(kubectl.ok("get", "hp", "warn", "-n", FRESH_NS, "-o", "jsonpath={.status.audit.objectsViolating}")).isEqualTo("0");

            String deployment = Manifests.deployment(FRESH_NS, "web", privileged("app"));
            Awaitility.await("the webhook answers").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.runWithInput(deployment, "create", "--dry-run=server", "-f", "-").stderr()
                            .contains("Warning: [no-privileged]"));
            Kubectl.Result applied = kubectl.runWithInput(deployment, "apply", "-f", "-");
            assertThat(applied.stderr()).as(applied.describe()).contains("Warning: [no-privileged] container \"app\": ");
            Kubectl.Result table = Awaitility.await("VIOLATIONS 1 in kubectl get hp").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> kubectl.run("get", "hp", "warn", "-n", FRESH_NS),
                            r -> r.stdoutLines().size() == 2 && r.stdoutLines().get(1).matches("warn +Baseline +Warn +True +True +1 +\\S+"));
            assertThat(table.stdoutLines().get(0)).matches("NAME +PROFILE +MODE +READY +AUDITED +VIOLATIONS +AGE");
            Awaitility.await("the report lists the new Deployment").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> results(FRESH_NS, "hardening.e2e-reports-fresh.warn"), r -> r.equals(List.of("Deployment/web no-privileged warn")));
        } finally {
            kubectl.run("delete", "namespace", FRESH_NS, "--wait=false", "--ignore-not-found");
        }
    }

    static final String FRESH_NS = "e2e-reports-fresh";

    static final String POLICY = """
            apiVersion: hardening.dev/v1alpha1
            kind: HardeningPolicy
            metadata:
              name: strict
              namespace: e2e-reports
            spec:
              profile: Baseline
              mode: Enforce
              rules:
              - id: no-host-path
                mode: Warn
              exemptions:
              - rules: [no-privileged]
                containers: [legacy]
                reason: "vendor image, ticket SEC-9"
            """;

    static String privileged(String container) {
        return """
                containers:
                - name: %s
                  image: registry.example.com/app:1
                  securityContext:
                    privileged: true
                """.formatted(container);
    }

    static String hostPath() {
        return """
                containers:
                - name: app
                  image: registry.example.com/app:1
                volumes:
                - name: cache
                  hostPath:
                    path: /var/cache
                """;
    }

    static void awaitCondition(String namespace, String name, String type, String status) {
        Awaitility.await(namespace + "/" + name + " " + type + "=" + status).atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> condition(namespace, name, type, "status"), status::equals);
    }

    static String condition(String namespace, String name, String type, String field) {
        return kubectl.ok("get", "hp", name, "-n", namespace, "-o",
                "jsonpath={.status.conditions[?(@.type==\"" + type + "\")]." + field + "}");
    }

    static String auditTime(String namespace, String name) {
        return kubectl.ok("get", "hp", name, "-n", namespace, "-o", "jsonpath={.status.audit.lastAuditTime}");
    }

    /** {@code kubectl get reports -n <namespace>}, polled until its lines satisfy {@code until}. */
    static Kubectl.Result awaitReports(String namespace, java.util.function.Predicate<List<String>> until) {
        return Awaitility.await("kubectl get reports -n " + namespace).atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> kubectl.run("get", "reports", "-n", namespace),
                        r -> r.exitCode() == 0 && until.test(r.stdoutLines()));
    }

    static String report(String namespace, String name, String jsonpath) {
        return kubectl.ok("get", "report", name, "-n", namespace, "-o", "jsonpath=" + jsonpath);
    }

    /** One line per result: {@code Kind/name rule result}. */
    static List<String> results(String namespace, String name) {
        String lines = kubectl.ok("get", "report", name, "-n", namespace, "-o", "jsonpath={range .results[*]}"
                + "{.resources[0].kind}/{.resources[0].name} {.rule} {.result}{\"\\n\"}{end}");
        return lines.lines().toList();
    }
}
