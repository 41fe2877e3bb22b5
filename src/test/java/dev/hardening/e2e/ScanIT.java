package dev.hardening.e2e;

import dev.hardening.testing.Manifests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hardening.cli.CraneRegistry;
import dev.hardening.cli.ScanFixtures;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.hardening.e2e.WebhookIT.DENIED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21's release gate with a real scanner: two real images in a loopback registry, scanned by digest with a real
 * Trivy, the reports imported with {@code hardening scan import | kubectl apply}, then the real API server, webhook
 * and workload controllers: the vulnerable digest is refused with its finding, the fixed one admitted, an unscanned
 * one warned about, an ignored finding admitted until it expires, a workload admitted before its CVE was published
 * keeps scaling and restarting while the audit counts it, and the CLI gives a pipeline the same lines (the CLI on its
 * own, digest-less reports included: ScanReportIT).
 */
@EndToEnd
class ScanIT {

    static final String GATE = "e2e-scan-gate";
    static final String IGNORE = "e2e-scan-ignore";
    static final String LEGACY = "e2e-scan-legacy";
    static final String CVE = "CVE-2019-14697";
    static final String IMAGE_SCAN_CRD = "crds/imagescans.hardening.dev-v1alpha1.yml";
    /** An ignore entry's expiry: next year, so the webhook admits today; the CLI's --now goes past it. */
    static final Instant EXPIRES = Instant.now().plus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    private static ControlPlane cluster;
    private static Kubectl kubectl;
    private static Fixtures fixtures;
    private static OperatorProcess operator;
    private static CraneRegistry registry;
    private static ScanFixtures scans;
    private static String unscanned;
    private static Path work;

    @BeforeAll
    static void start(EndToEnd.E2e e2e) throws Exception {
        assertThat(HardeningCli.LAUNCHER).as("./mvnw package builds the CLI").isRegularFile();
        cluster = e2e.cluster();
        kubectl = e2e.kubectl();
        fixtures = e2e.fixtures();
        work = e2e.dir();
        registry = CraneRegistry.start(work);
        scans = ScanFixtures.create(registry.host(), work.resolve("scan"));
        registry.push("scan/unscanned:1", "nobody scanned this");
        unscanned = registry.host() + "/scan/unscanned@" + registry.digest("scan/unscanned:1");

        OpenReportsCrds.install(kubectl);
        kubectl.ok("apply", "--server-side", "--force-conflicts", "-f", Project.root().resolve(IMAGE_SCAN_CRD).toString());
        kubectl.ok("wait", "--for=condition=Established", "crd/imagescans.hardening.dev", "--timeout=60s");
        for (String ns : List.of(OperatorProcess.NAMESPACE, GATE, IGNORE, LEGACY)) {
            fixtures.namespace(ns);
        }
        fixtures.apply(policy(GATE, ""));
        fixtures.apply(policy(LEGACY, ""));
        fixtures.apply(policy(IGNORE, ignore()));
        operator = OperatorProcess.start(cluster, "scan-it-operator", cluster.kubeconfig(), Map.of());
        for (String ns : List.of(GATE, IGNORE, LEGACY)) {
            fixtures.awaitPolicyReady(ns, "gate");
        }
        // admitted before any scan of its digest is known: image-scanned warns, nothing denies
        Kubectl.Result legacy = kubectl.runWithInput(deployment(LEGACY, "legacy", scans.vulnerable()), "apply", "-f", "-");
        assertThat(legacy.stdoutLines()).as(legacy.describe()).containsExactly("deployment.apps/legacy created");
        assertThat(legacy.stderr()).as(legacy.describe()).contains("Warning: [image-scanned] container \"app\": ");
        Workloads.awaitPods(kubectl, LEGACY, "app=legacy", 1);

        Kubectl.Result imported = importReports(scans.vulnerableReport(), scans.fixedReport());
        assertThat(imported.stdoutLines()).as(imported.describe()).containsExactlyInAnyOrder(
                "imagescan.hardening.dev/" + name(scans.vulnerable()) + " created",
                "imagescan.hardening.dev/" + name(scans.fixed()) + " created");
        // the informers of the operator see the scans shortly after they are written
        await("the webhook knows the vulnerable digest's scan", Duration.ofSeconds(30))
                .until(() -> kubectl.runWithInput(deployment(GATE, "probe", scans.vulnerable()), "create", "--dry-run=server",
                        "-f", "-").stderr().contains("[image-vulnerabilities]"));
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (kubectl != null) {
            kubectl.run("delete", "namespace", GATE, IGNORE, LEGACY, "--wait=false", "--ignore-not-found");
            if (scans != null) {
                // cluster-scoped: left behind, they would clear these digests for every later test class
                kubectl.run("delete", "imagescan", name(scans.vulnerable()), name(scans.fixed()), "--ignore-not-found");
            }
        }
    }

    @Test
    void theVulnerableDigestIsRefusedWithItsFindingAndTheCliFailsAPipelineWithTheSameLine() throws IOException {
        Path file = fixtures.manifest("vulnerable.yaml", deployment(GATE, "web", scans.vulnerable()));

        Kubectl.Result denied = kubectl.run("apply", "-f", file.toString());
        Kubectl.Result check = HardeningCli.run("check", file.toString(), "--policy", policyFile(GATE, "").toString(),
                "--scan-report", scans.vulnerableReport().toString(), "-o", "json");

        assertThat(denied.exitCode()).as(denied.describe()).isNotZero();
        assertThat(denied.stderrLines()).as(denied.describe()).containsExactly(
                "Error from server (Forbidden): error when creating \"" + file + "\": " + DENIED
                        + "Deployment \"web\" violates HardeningPolicy \"" + GATE + "/gate\" (1 problem):",
                findingLine(scans.vulnerable()));
        assertThat(check.exitCode()).as(check.describe()).isEqualTo(1);
        assertThat(texts(check.stdout())).containsExactly(findingLine(scans.vulnerable()).substring(2));
        assertThat(kubectl.run("get", "deployment", "web", "-n", GATE).stderr()).startsWith("Error from server (NotFound): ");
    }

    @Test
    void theFixedDigestIsAdmittedWithoutAWord() {
        Kubectl.Result admitted = kubectl.runWithInput(deployment(GATE, "fixed", scans.fixed()), "apply", "-f", "-");

        assertThat(admitted.stdoutLines()).as(admitted.describe()).containsExactly("deployment.apps/fixed created");
        assertThat(admitted.stderr()).as(admitted.describe()).isEmpty();
    }

    @Test
    void aDigestNobodyScannedIsAdmittedWithAWarningUnderImageScanned() {
        Kubectl.Result admitted = kubectl.runWithInput(deployment(GATE, "unscanned", unscanned), "apply", "-f", "-");

        assertThat(admitted.stdoutLines()).as(admitted.describe()).containsExactly("deployment.apps/unscanned created");
        assertThat(admitted.stderrLines()).as(admitted.describe()).containsExactly(
                "Warning: [image-scanned] container \"app\": image \"" + unscanned + "\" has no trusted scan");
    }

    @Test
    void anIgnoredFindingAdmitsTheDigestUntilItsExpiryAfterWhichTheCliFailsAgain() {
        Path file = fixtures.manifest("ignored.yaml", deployment(IGNORE, "ignored", scans.vulnerable()));
        Path policy = policyFile(IGNORE, ignore());

        Kubectl.Result admitted = kubectl.run("apply", "-f", file.toString());
        Kubectl.Result before = HardeningCli.run("check", file.toString(), "--policy", policy.toString(),
                "--scan-report", scans.vulnerableReport().toString(), "-o", "json");
        Kubectl.Result after = HardeningCli.run("check", file.toString(), "--policy", policy.toString(),
                "--scan-report", scans.vulnerableReport().toString(), "-o", "json",
                "--now", EXPIRES.plus(1, ChronoUnit.DAYS).toString());

        assertThat(admitted.stdoutLines()).as(admitted.describe()).containsExactly("deployment.apps/ignored created");
        assertThat(admitted.stderr()).as(admitted.describe()).isEmpty();
        assertThat(before.exitCode()).as(before.describe()).isZero();
        assertThat(after.exitCode()).as(after.describe()).isEqualTo(1);
        assertThat(texts(after.stdout())).containsExactly(findingLine(scans.vulnerable()).substring(2));
    }

    @Test
    void aWorkloadWhoseDigestGetsACriticalFindingAfterAdmissionKeepsScalingAndRestartingAndTheAuditCountsIt() {
        // nothing has changed in the namespace since the import, and the periodic audit is 10 minutes away: the
        // scan's arrival is what makes the leader audit it again
        awaitAudit("the audit counts the legacy Deployment under image-vulnerabilities once its scan arrives");

        Kubectl.Result scaled = kubectl.run("scale", "deployment/legacy", "-n", LEGACY, "--replicas=3");

        assertThat(scaled.stdoutLines()).as(scaled.describe()).containsExactly("deployment.apps/legacy scaled");
        Workloads.awaitPods(kubectl, LEGACY, "app=legacy", 3);

        Kubectl.Result restarted = kubectl.run("rollout", "restart", "deployment/legacy", "-n", LEGACY);

        assertThat(restarted.stdoutLines()).as(restarted.describe()).containsExactly("deployment.apps/legacy restarted");
        // revision 2 surges by one Pod (maxSurge 25% of 3); revision 1 keeps its 3 since no Pod ever becomes ready
        await("a second ReplicaSet of legacy with its Pod", Duration.ofMinutes(1))
                .until(() -> Workloads.replicaSets(kubectl, LEGACY, "app=legacy"), sets -> sets.equals(List.of("1=3", "2=1")));
        Workloads.awaitPods(kubectl, LEGACY, "app=legacy", 4);
        Workloads.assertNoFailedCreates(kubectl, LEGACY);
        awaitAudit("the audit still counts the one Deployment after its rollout");
    }

    /** {@code status.audit} and the OpenReports Report of LEGACY's policy: the legacy Deployment, failing once. */
    private static void awaitAudit(String what) {
        await(what, Duration.ofSeconds(30))
                .until(() -> kubectl.ok("get", "hp", "gate", "-n", LEGACY, "-o", "jsonpath={.status.audit.objectsViolating}/"
                        + "{.status.audit.violationsByRule.image-vulnerabilities}"), "1/1"::equals);
        await(what + ", in its OpenReports Report", Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> kubectl.ok("get", "report", "hardening." + LEGACY + ".gate", "-n", LEGACY, "-o",
                        "jsonpath={range .results[*]}{.resources[0].kind}/{.resources[0].name} {.rule} {.result}{\"\\n\"}{end}"),
                        "Deployment/legacy image-vulnerabilities fail\n"::equals);
    }

    /** The line the webhook and the CLI give for the vulnerable digest under image-vulnerabilities. */
    private static String findingLine(String image) {
        return "- [image-vulnerabilities] container \"app\": image \"" + image + "\" has 1 vulnerability at or above CRITICAL: "
                + CVE + " musl 1.1.20-r4 \u2192 1.1.20-r5 CRITICAL (trivy 0.74.0, " + scanDay() + "); rebuild on a patched "
                + "base and set spec.template.spec.containers[0].image to the new digest, or add the id to spec.scan.ignore "
                + "with a reason";
    }

    /** The day Trivy wrote the vulnerable report (its CreatedAt), as the messages show it. */
    private static String scanDay() {
        try {
            return new ObjectMapper().readTree(scans.vulnerableReport().toFile()).path("CreatedAt").asText().substring(0, 10);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code findings[].text} of the CLI's JSON report: the admission lines. */
    private static List<String> texts(String json) {
        try {
            List<String> texts = new ArrayList<>();
            for (JsonNode object : new ObjectMapper().readTree(json).path("objects")) {
                for (JsonNode finding : object.path("findings")) {
                    texts.add(finding.path("text").asText());
                }
            }
            return texts;
        } catch (IOException e) {
            throw new AssertionError(json, e);
        }
    }

    /** {@code hardening scan import REPORT... | kubectl apply -f -}, as a pipeline step writes it. */
    private static Kubectl.Result importReports(Path... reports) {
        List<String> args = new ArrayList<>(List.of("scan", "import"));
        Arrays.stream(reports).map(Path::toString).forEach(args::add);
        Kubectl.Result imported = HardeningCli.run(args.toArray(String[]::new));
        assertThat(imported.exitCode()).as(imported.describe()).isZero();
        return kubectl.runWithInput(imported.stdout(), "apply", "-f", "-");
    }

    /** The ImageScan name of a digest reference: {@code sha256-<hex>}. */
    private static String name(String reference) {
        return reference.substring(reference.indexOf('@') + 1).replace(':', '-');
    }

    private static Path policyFile(String namespace, String extra) {
        return fixtures.manifest("policy-" + namespace + ".yaml", policy(namespace, extra));
    }

    /** Only the two scan rules (profile None): image-vulnerabilities denies, image-scanned warns. */
    private static String policy(String namespace, String scan) {
        return """
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata:
                  name: gate
                  namespace: %s
                spec:
                  profile: None
                  mode: Enforce
                  rules:
                  - id: image-vulnerabilities
                  - id: image-scanned
                    mode: Warn
                %s""".formatted(namespace, scan);
    }

    private static String ignore() {
        return """
                  scan:
                    ignore:
                    - id: %s
                      reason: "x87 math only; we build no i386 images, ticket SEC-21"
                      expires: "%s"
                """.formatted(CVE, EXPIRES);
    }

    private static String deployment(String namespace, String name, String image) {
        return Manifests.deployment(namespace, name, Manifests.plainPodSpec("Always", image));
    }

    private static ConditionFactory await(String what, Duration atMost) {
        return Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(500));
    }
}
