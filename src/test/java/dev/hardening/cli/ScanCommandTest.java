package dev.hardening.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hardening scan import} and {@code hardening check --scan-report}, with the recorded real reports of
 * src/test/resources/scan/ (Trivy v0.74.0 scanning two real images by digest; Grype's own golden reports): what a
 * CI pipeline prints and exits with.
 */
class ScanCommandTest {

    private static final Path TRIVY = Path.of("src/test/resources/scan/trivy");
    private static final Path GRYPE = Path.of("src/test/resources/scan/grype");
    private static final String VULNERABLE_DIGEST = "sha256:16a3d35d0e405f6ae55268dcd18a6bfc23569bee026cb07c7569d68cb924efe2";
    private static final String FIXED_DIGEST = "sha256:aa836719a4caa10a8e0d877c7d0cb6105f8d10d7887839a7141512ad24a64240";
    private static final String VULNERABLE = "127.0.0.1:5000/scan/musl@" + VULNERABLE_DIGEST;
    private static final String FIXED = "127.0.0.1:5000/scan/musl@" + FIXED_DIGEST;
    private static final String FINDING = "CVE-2019-14697 musl 1.1.20-r4 \u2192 1.1.20-r5 CRITICAL (trivy 0.74.0, 2026-12-04)";

    @TempDir
    Path dir;

    @Test
    void aTrivyReportBecomesOneImageScanNamedAfterTheManifestDigest() {
        Cli run = Cli.run("scan", "import", TRIVY.resolve("vulnerable.json").toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("""
                ---
                apiVersion: hardening.dev/v1alpha1
                kind: ImageScan
                metadata:
                  name: sha256-%1$s
                spec:
                  digest: sha256:%1$s
                  image: 127.0.0.1:5000/scan/musl@sha256:%1$s
                  scanner:
                    name: trivy
                    version: 0.74.0
                  scannedAt: '2026-12-04T23:17:11.047959829Z'
                  summary:
                    critical: 1
                    high: 0
                    medium: 0
                    low: 0
                    unknown: 0
                  findings:
                  - id: CVE-2019-14697
                    installedVersion: 1.1.20-r4
                    fixedVersion: 1.1.20-r5
                    severity: CRITICAL
                    package: musl
                """.formatted(VULNERABLE_DIGEST.substring(7)));
    }

    @Test
    void aGrypeReportIsMatchedByItsManifestDigestNeverTheImageId() {
        Cli run = Cli.run("scan", "import", GRYPE.resolve("image.json").toString(), TRIVY.resolve("fixed.json").toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).filteredOn(l -> l.startsWith("  name: ") || l.startsWith("    name: ")
                        || l.startsWith("    critical: ") || l.startsWith("    low: ") || l.startsWith("  - id: "))
                .containsExactly("  name: sha256-ca738abb87a8d58f112d3400ebb079b61ceae7dc290beb34bda735be4b1941d5",
                        "    name: grype", "    critical: 1", "    low: 1", "  - id: CVE-1999-0002", "  - id: CVE-1999-0001",
                        "  name: sha256-" + FIXED_DIGEST.substring(7), "    name: trivy", "    critical: 0", "    low: 0");
        assertThat(run.out()).as("the image ID, the config's digest")
                .doesNotContain("ab5608d634db2716a297adbfa6a5dd5d8f8f5a7d0cab73649ea7fbb8c8da544f");
    }

    @Test
    void aReportWithoutAManifestDigestIsRefusedInOneLineAndNothingIsWritten() {
        Path trivy = TRIVY.resolve("nodigest.json");
        Path grype = GRYPE.resolve("directory.json");
        Cli run = Cli.run("scan", "import", TRIVY.resolve("vulnerable.json").toString(), trivy.toString(), grype.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("error: " + trivy + ": the report names no manifest digest "
                + "(Metadata.RepoDigests is empty; the image ID is the config's digest, which no Pod names): scan from "
                + "the registry by digest, trivy image --image-src remote -f json <image>@sha256:<digest>",
                "error: " + grype + ": the report names no manifest digest (source.target.manifestDigest is empty; the "
                + "image ID is the config's digest, which no Pod names): scan from the registry by digest, "
                + "grype registry:<image>@sha256:<digest> -o json");
    }

    @Test
    void somethingElseIsNotAReport() {
        Path policy = Manifests.write(dir, "deploy.json", "{\"kind\": \"Deployment\"}");
        Cli run = Cli.run("scan", "import", policy.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("error: " + policy + ": not a Trivy (-f json) or Grype (-o json) report");
    }

    @Test
    void checkAppliesTheGateWithTheWebhooksLinesAndExitCodes() {
        Path deployment = deployment(VULNERABLE);
        Path policy = policy("");

        Cli denied = Cli.run("check", deployment.toString(), "--policy", policy.toString(), "--now", "2026-12-05T00:00:00Z",
                "--scan-report", TRIVY.resolve("vulnerable.json").toString(), "-o", "json");
        assertThat(denied.exitCode()).isEqualTo(1);
        assertThat(CheckCommandTest.texts(CheckCommandTest.json(denied))).containsExactly("deny [image-vulnerabilities] "
                + "container \"app\": image \"" + VULNERABLE + "\" has 1 vulnerability at or above CRITICAL: " + FINDING
                + "; rebuild on a patched base and set spec.template.spec.containers[0].image to the new digest, or add "
                + "the id to spec.scan.ignore with a reason");

        Cli clean = Cli.run("check", deployment(FIXED).toString(), "--policy", policy.toString(),
                "--scan-report", TRIVY.resolve("fixed.json").toString());
        assertThat(clean.exitCode()).isZero();

        Cli unscanned = Cli.run("check", deployment(FIXED).toString(), "--policy", policy.toString(), "-o", "json");
        assertThat(unscanned.exitCode()).isZero();
        assertThat(CheckCommandTest.texts(CheckCommandTest.json(unscanned))).containsExactly("warn [image-scanned] "
                + "container \"app\": image \"" + FIXED + "\" has no trusted scan; scan that digest and import the "
                + "report: hardening scan import REPORT | kubectl apply -f - (docs/scanning.md)");
    }

    @Test
    void anIgnoredIdPassesUntilItsExpiry() {
        Path deployment = deployment(VULNERABLE);
        Path policy = policy("""
                  scan:
                    ignore:
                    - id: CVE-2019-14697
                      images: ["127.0.0.1:5000/scan/musl@*"]
                      reason: "musl's x87 path is not used on amd64; SEC-9"
                      expires: "2027-01-31T00:00:00Z"
                """);
        String report = TRIVY.resolve("vulnerable.json").toString();

        assertThat(Cli.run("check", deployment.toString(), "--policy", policy.toString(), "--scan-report", report,
                "--now", "2027-01-30T23:59:59Z").exitCode()).isZero();
        Cli after = Cli.run("check", deployment.toString(), "--policy", policy.toString(), "--scan-report", report,
                "--now", "2027-01-31T00:00:00Z", "-o", "json");
        assertThat(after.exitCode()).isEqualTo(1);
        assertThat(CheckCommandTest.texts(CheckCommandTest.json(after))).singleElement().asString()
                .startsWith("deny [image-vulnerabilities]").contains(FINDING);
    }

    @Test
    void aDigestLessReportFailsTheCheckWithExitTwo() {
        Path report = TRIVY.resolve("nodigest.json");
        Cli run = Cli.run("check", deployment(VULNERABLE).toString(), "--policy", policy("").toString(),
                "--scan-report", report.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString().startsWith("error: " + report + ": the report names no manifest digest");
    }

    @Test
    void explainCoversBothRules() {
        assertThat(Cli.run("explain", "image-vulnerabilities").out()).contains("### image-vulnerabilities", "spec.scan.ignore");
        assertThat(Cli.run("explain", "image-scanned").out()).contains("### image-scanned", "hardening scan import");
    }

    private Path deployment(String image) {
        return Manifests.write(dir, "deploy-" + image.hashCode() + ".yaml", Manifests.scanDeployment(image));
    }

    private Path policy(String extra) {
        return Manifests.write(dir, "policy-" + extra.hashCode() + ".yaml", Manifests.scanPolicy(extra));
    }
}
