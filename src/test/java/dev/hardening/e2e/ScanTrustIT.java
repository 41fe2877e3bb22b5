package dev.hardening.e2e;

import dev.hardening.testing.Manifests;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trust model of the scans, through the real API server's RBAC with the chart installed and Trivy Operator's
 * real VulnerabilityReport CRD (v0.32.0, src/test/resources/crds/trivy-operator/): a namespace admin who may write
 * VulnerabilityReports forges a clean one for a digest an ImageScan found CRITICAL, and for a digest nobody scanned.
 * Neither clears anything: the vulnerable Deployment is still refused with the finding's line, the unscanned one still
 * warns that it has no trusted scan. And the admin cannot create an ImageScan at all. On the way, a Deployment that
 * was running before the scan arrived is counted by the audit within seconds of it. The CRD is installed only after the
 * operator runs, as when Trivy Operator comes to a cluster later: the policy's condition goes from CrdNotInstalled to
 * Watched without a restart, and a report's finding then denies its digest.
 */
@EndToEnd
class ScanTrustIT {

    static final String NS = "hardening-scan-trust";
    static final String TEAM = "e2e-scan-team";
    static final String USER = "system:serviceaccount:" + TEAM + ":team-admin";
    static final String VULNERABLE_DIGEST = "sha256:16a3d35d0e405f6ae55268dcd18a6bfc23569bee026cb07c7569d68cb924efe2";
    static final String FIXED_DIGEST = "sha256:aa836719a4caa10a8e0d877c7d0cb6105f8d10d7887839a7141512ad24a64240";
    static final String VULNERABLE = "127.0.0.1:5000/scan/musl@" + VULNERABLE_DIGEST;
    static final String FIXED = "127.0.0.1:5000/scan/musl@" + FIXED_DIGEST;
    static final String REPORTED_DIGEST = "sha256:" + "c".repeat(64);
    static final String REPORTED = "127.0.0.1:5000/scan/openssl@" + REPORTED_DIGEST;
    static final Path REPORT_CRD = Project.root()
            .resolve("src/test/resources/crds/trivy-operator/vulnerabilityreports.aquasecurity.github.io.yaml");

    @Test
    void aForgedCleanReportClearsNothingAndANamespaceAdminCannotWriteAnImageScan(EndToEnd.E2e e2e) {
        ControlPlane cluster = e2e.cluster();
        Kubectl kubectl = e2e.kubectl();
        Fixtures fixtures = e2e.fixtures();
        // the operator starts without Trivy Operator's CRD (an earlier run may have left it)
        kubectl.ok("delete", "-f", REPORT_CRD.toString(), "--ignore-not-found");
        // given nobody scanned the digest yet: ImageScans are cluster-scoped and outlive the class that wrote them
        kubectl.run("delete", "imagescan", VULNERABLE_DIGEST.replace(':', '-'), "--ignore-not-found");
        try (ChartRelease chart = ChartRelease.install(cluster, "scan-trust", NS);
             OperatorProcess operator = OperatorProcess.start(cluster, "scan-trust-operator",
                     chart.serviceAccountKubeconfig("scan-trust-operator"), chart.settings())) {
            fixtures.namespace(TEAM);
            fixtures.apply("""
                    apiVersion: hardening.dev/v1alpha1
                    kind: HardeningPolicy
                    metadata: {name: gate, namespace: %1$s}
                    spec:
                      profile: None
                      rules:
                      - id: image-vulnerabilities
                      - id: image-scanned
                        mode: Warn
                    ---
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: Role
                    metadata: {name: vulnerability-reports, namespace: %1$s}
                    rules:
                    - apiGroups: [aquasecurity.github.io]
                      resources: [vulnerabilityreports]
                      verbs: [get, list, create, update, patch, delete]
                    ---
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: RoleBinding
                    metadata: {name: vulnerability-reports, namespace: %1$s}
                    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: vulnerability-reports}
                    subjects: [{kind: ServiceAccount, name: team-admin, namespace: %1$s}]
                    """.formatted(TEAM));
            fixtures.apply(Fixtures.namespaceAdmin(TEAM));
            fixtures.awaitPolicyReady(TEAM, "gate");
            awaitReportsCondition(kubectl, "CrdNotInstalled", Duration.ofMinutes(1));
            // Trivy Operator arrives while the operator runs: noticed without a restart (discovery is asked again
            // with backoff, at most 30s apart)
            kubectl.ok("apply", "-f", REPORT_CRD.toString());
            kubectl.ok("wait", "--for=condition=Established", "crd/vulnerabilityreports.aquasecurity.github.io", "--timeout=60s");
            awaitReportsCondition(kubectl, "Watched", Duration.ofMinutes(2));
            // a workload admitted before anything was known about its digest: unscanned, so only warned
            Path legacy = fixtures.manifest("scan-legacy.yaml", Manifests.deployment(TEAM, "legacy",
                    Manifests.plainPodSpec("Always", VULNERABLE)));
            assertThat(kubectl.run("apply", "-f", legacy.toString()).stderr()).contains("Warning: [image-scanned]");
            String byRule = "jsonpath={.status.audit.violationsByRule}";
            Awaitility.await("the audit counts the legacy Deployment as unscanned").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.ok("get", "hardeningpolicy", "gate", "-n", TEAM, "-o", byRule)
                            .equals("{\"image-scanned\":1}"));
            // the cluster admin (CI's identity) records the real scan of the vulnerable digest: the audit counts the
            // running Deployment within seconds (the full audit interval is 10 minutes: only the scan's re-audit can)
            fixtures.apply(imageScan());
            Awaitility.await("the new finding counted on the running Deployment").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.ok("get", "hardeningpolicy", "gate", "-n", TEAM, "-o", byRule)
                            .equals("{\"image-vulnerabilities\":1}"));
            String token = kubectl.ok("create", "token", "team-admin", "-n", TEAM, "--duration=1h").trim();
            Kubectl admin = kubectl.as(cluster.kubeconfigWithToken("scan-team-admin", token));

            Kubectl.Result created = admin.runWithInput(imageScan(), "create", "-f", "-");
            assertThat(created.stderrLines()).as(created.describe()).containsExactly(
                    "Error from server (Forbidden): error when creating \"STDIN\": imagescans.hardening.dev is forbidden: "
                            + "User \"" + USER + "\" cannot create resource \"imagescans\" in API group \"hardening.dev\" "
                            + "at the cluster scope");

            for (String[] forged : new String[][] {{"forged-vulnerable", VULNERABLE_DIGEST}, {"forged-fixed", FIXED_DIGEST}}) {
                Kubectl.Result report = admin.runWithInput(cleanReport(forged[0], forged[1]), "create", "-f", "-");
                assertThat(report.exitCode()).as(report.describe()).isZero();
            }

            Path vulnerable = fixtures.manifest("scan-vulnerable.yaml", Manifests.deployment(TEAM, "vulnerable",
                    Manifests.plainPodSpec("Always", VULNERABLE)));
            String denial = denial(VULNERABLE, "CVE-2019-14697 musl 1.1.20-r4 \u2192 1.1.20-r5 CRITICAL (trivy 0.74.0, 2026-12-04)");
            // the scan reaches every replica's memory through its informer: poll until it has
            awaitDryRun(admin, "the ImageScan's finding denies the vulnerable digest", vulnerable, denial::equals);
            Kubectl.Result refused = admin.run("apply", "-f", vulnerable.toString());
            assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
            assertThat(refused.stderrLines()).as(refused.describe()).contains(denial);

            Path unscanned = fixtures.manifest("scan-unscanned.yaml", Manifests.deployment(TEAM, "unscanned",
                    Manifests.plainPodSpec("Always", FIXED)));
            // (a long warning is cut to what is wrong, so that a terminal shows it on one line)
            String warning = "Warning: [image-scanned] container \"app\": image \"" + FIXED + "\" has no trusted scan (only "
                    + "VulnerabilityReport " + TEAM + "/forged-fixed, which cannot clear a digest)";
            awaitDryRun(admin, "the forged report is known, and not trusted", unscanned, line -> line.startsWith(warning));

            // a report of the CRD installed late counts: its finding denies a digest nobody else scanned
            fixtures.apply(findingReport());
            Path reported = fixtures.manifest("scan-reported.yaml", Manifests.deployment(TEAM, "reported",
                    Manifests.plainPodSpec("Always", REPORTED)));
            awaitDryRun(admin, "the late CRD's report denies its digest", reported,
                    denial(REPORTED, "CVE-2026-0001 openssl 3.0.0 \u2192 3.0.1 CRITICAL (Trivy 0.74.0, 2026-12-04)")::equals);

            assertThat(reportsCondition(kubectl)).isEqualTo("Watched");
            assertThat(operator.alive()).isTrue();
        } finally {
            kubectl.run("delete", "namespace", TEAM, "--wait=false");
            kubectl.run("delete", "imagescan", "sha256-" + VULNERABLE_DIGEST.substring(7), "--ignore-not-found");
            // later tests on this API server start without Trivy Operator's CRD, as a cluster does: waited for, so
            // that no class starts while it is still served
            kubectl.run("delete", "-f", REPORT_CRD.toString(), "--ignore-not-found", "--timeout=120s");
        }
    }

    /** The ImageScan of the vulnerable digest: hardening scan import of the recorded real Trivy report. */
    private static String imageScan() {
        Kubectl.Result imported = HardeningCli.run("scan", "import",
                Project.root().resolve("src/test/resources/scan/trivy/vulnerable.json").toString());
        assertThat(imported.exitCode()).as(imported.describe()).isZero();
        assertThat(imported.stdout()).as("the report's digest").contains("digest: " + VULNERABLE_DIGEST);
        return imported.stdout();
    }

    /** The line image-vulnerabilities denies {@code image} with, for its one CRITICAL {@code finding}. */
    private static String denial(String image, String finding) {
        return "- [image-vulnerabilities] container \"app\": image \"" + image + "\" has 1 vulnerability at or above "
                + "CRITICAL: " + finding + "; rebuild on a patched base and set spec.template.spec.containers[0].image to "
                + "the new digest, or add the id to spec.scan.ignore with a reason";
    }

    /** Polls a server-side dry run of {@code manifest} until one of its lines matches: scans arrive asynchronously. */
    private static void awaitDryRun(Kubectl as, String what, Path manifest, Predicate<String> line) {
        Awaitility.await(what).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> as.run("apply", "--dry-run=server", "-f", manifest.toString()).stderrLines().stream().anyMatch(line));
    }

    /** Polls the reason of the policy's condition VulnerabilityReports until it is {@code reason}. */
    private static void awaitReportsCondition(Kubectl kubectl, String reason, Duration within) {
        Awaitility.await("VulnerabilityReports " + reason).atMost(within).pollInterval(Duration.ofMillis(500))
                .until(() -> reportsCondition(kubectl).equals(reason));
    }

    private static String reportsCondition(Kubectl kubectl) {
        return kubectl.ok("get", "hardeningpolicy", "gate", "-n", TEAM, "-o",
                "jsonpath={.status.conditions[?(@.type==\"VulnerabilityReports\")].reason}");
    }

    /** A VulnerabilityReport in Trivy Operator's shape with one CRITICAL finding, for a digest nothing else scanned. */
    private static String findingReport() {
        // one flow mapping on one YAML line, under "vulnerabilities:" at its indentation
        return report("replicaset-reported-app", "scan/openssl", REPORTED_DIGEST, 1, "\n  - {vulnerabilityID: CVE-2026-0001, "
                + "resource: openssl, installedVersion: 3.0.0, fixedVersion: 3.0.1, severity: CRITICAL, title: a test finding, "
                + "publishedDate: '2026-12-01T00:00:00Z', lastModifiedDate: '2026-12-01T00:00:00Z'}");
    }

    /** A VulnerabilityReport in Trivy Operator's shape that says the digest is clean. */
    private static String cleanReport(String name, String digest) {
        return report(name, "scan/musl", digest, 0, " []");
    }

    private static String report(String name, String repository, String digest, int critical, String vulnerabilities) {
        return """
                apiVersion: aquasecurity.github.io/v1alpha1
                kind: VulnerabilityReport
                metadata: {name: %s, namespace: %s}
                report:
                  artifact: {repository: %s, digest: "%s"}
                  registry: {server: "127.0.0.1:5000"}
                  os: {family: alpine, name: "3.9.4"}
                  scanner: {name: Trivy, vendor: Aqua Security, version: 0.74.0}
                  updateTimestamp: "2026-12-04T23:30:00Z"
                  summary: {criticalCount: %d, highCount: 0, mediumCount: 0, lowCount: 0, unknownCount: 0}
                  vulnerabilities:%s
                """.formatted(name, TEAM, repository, digest, critical, vulnerabilities);
    }
}
