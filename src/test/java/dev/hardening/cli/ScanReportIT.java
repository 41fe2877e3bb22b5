package dev.hardening.cli;

import dev.hardening.testing.Manifests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The release gate in a pipeline, with a real scanner: two real images in a loopback registry, scanned by digest
 * with a real Trivy ({@link ScanFixtures}), their reports given to {@code hardening scan import} and to
 * {@code hardening check --scan-report}: the vulnerable digest fails the build with its finding, the fixed one passes,
 * an unscanned one is warned about, an ignored finding passes until its expiry, and a report without a manifest
 * digest is refused in one line.
 */
class ScanReportIT {

    static final String CVE = "CVE-2019-14697";
    /** An ignore entry's expiry next year: the clock is before it, {@code --now} after it. */
    static final Instant EXPIRES = Instant.now().plus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    private static final AtomicInteger counter = new AtomicInteger();
    private static CraneRegistry registry;
    private static ScanFixtures scans;

    @TempDir
    static Path work;

    @BeforeAll
    static void scan() throws Exception {
        registry = CraneRegistry.start(work);
        scans = ScanFixtures.create(registry.host(), work.resolve("scan"));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void importWritesOneImageScanPerManifestDigestWithTheRealFindings() {
        Cli run = Cli.run("scan", "import", scans.vulnerableReport().toString(), scans.fixedReport().toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        String[] documents = run.out().split("(?m)^---\n");
        assertThat(documents).filteredOn(d -> !d.isBlank()).hasSize(2);
        assertThat(run.out())
                .contains("  name: " + digest(scans.vulnerable()).replace(':', '-') + "\n")
                .contains("  digest: " + digest(scans.vulnerable()) + "\n")
                .contains("  name: " + digest(scans.fixed()).replace(':', '-') + "\n")
                .contains("""
                          scanner:
                            name: trivy
                            version: 0.74.0
                        """)
                .contains("""
                          findings:
                          - id: CVE-2019-14697
                            installedVersion: 1.1.20-r4
                            fixedVersion: 1.1.20-r5
                            severity: CRITICAL
                            package: musl
                        """)
                .contains("  findings: []\n");
    }

    @Test
    void theVulnerableDigestFailsTheBuildWithItsFinding() throws IOException {
        Cli run = check(deployment(scans.vulnerable()), policy(""), scans.vulnerableReport());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(findingLines(run)).containsExactly(vulnerableLine());
    }

    @Test
    void theFixedDigestPasses() throws IOException {
        Cli run = check(deployment(scans.fixed()), policy(""), scans.vulnerableReport(), scans.fixedReport());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(findingLines(run)).isEmpty();
    }

    @Test
    void aDigestNoReportCoversPassesWithAWarningUnderImageScanned() throws Exception {
        registry.push("scan/unscanned:1", "nobody scanned this");
        String unscanned = registry.host() + "/scan/unscanned@" + registry.digest("scan/unscanned:1");

        Cli run = check(deployment(unscanned), policy(""), scans.vulnerableReport(), scans.fixedReport());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(findingLines(run)).containsExactly("[image-scanned] container \"app\": image \"" + unscanned
                + "\" has no trusted scan; scan that digest and import the report: hardening scan import REPORT | "
                + "kubectl apply -f - (docs/scanning.md)");
    }

    @Test
    void anIgnoredFindingPassesUntilItsExpiryAndFailsAgainAfterIt() throws IOException {
        String ignore = """
                  scan:
                    ignore:
                    - id: %s
                      reason: "x87 math only; we build no i386 images, ticket SEC-21"
                      expires: "%s"
                """.formatted(CVE, EXPIRES);

        Cli before = check(deployment(scans.vulnerable()), policy(ignore), scans.vulnerableReport());
        Cli after = check(deployment(scans.vulnerable()), policy(ignore), scans.vulnerableReport(),
                "--now", EXPIRES.plus(1, ChronoUnit.SECONDS).toString());

        assertThat(before.exitCode()).as(before.out() + before.err()).isZero();
        assertThat(findingLines(before)).isEmpty();
        assertThat(after.exitCode()).as(after.out() + after.err()).isEqualTo(1);
        assertThat(findingLines(after)).containsExactly(vulnerableLine());
    }

    @Test
    void aReportWithoutAManifestDigestIsRefusedInOneLineSayingWhatToRunInstead() {
        Cli imported = Cli.run("scan", "import", scans.noDigestReport().toString());
        Cli checked = check(deployment(scans.vulnerable()), policy(""), scans.noDigestReport());

        String line = "error: " + scans.noDigestReport() + ": the report names no manifest digest (Metadata.RepoDigests is "
                + "empty; the image ID is the config's digest, which no Pod names): scan from the registry by digest, "
                + "trivy image --image-src remote -f json <image>@sha256:<digest>";
        assertThat(imported.exitCode()).isEqualTo(2);
        assertThat(imported.out()).isEmpty();
        assertThat(imported.err().lines()).containsExactly(line);
        assertThat(checked.exitCode()).isEqualTo(2);
        assertThat(checked.err().lines()).containsExactly(line);
    }

    /** The admission line for the vulnerable image, which the webhook gives too (ScanIT compares them). */
    private static String vulnerableLine() throws IOException {
        String day = Files.readString(scans.vulnerableReport()).replaceAll("(?s).*\"CreatedAt\": \"(\\d{4}-\\d\\d-\\d\\d)T.*", "$1");
        return "[image-vulnerabilities] container \"app\": image \"" + scans.vulnerable() + "\" has 1 vulnerability at or "
                + "above CRITICAL: " + CVE + " musl 1.1.20-r4 \u2192 1.1.20-r5 CRITICAL (trivy 0.74.0, " + day + "); rebuild "
                + "on a patched base and set spec.template.spec.containers[0].image to the new digest, or add the id to "
                + "spec.scan.ignore with a reason";
    }

    /** The findings' admission lines from the JSON report ({@code findings[].text}), in order. */
    private static List<String> findingLines(Cli run) throws IOException {
        List<String> lines = new ArrayList<>();
        for (JsonNode object : new ObjectMapper().readTree(run.out()).path("objects")) {
            object.path("findings").forEach(finding -> lines.add(finding.path("text").asText()));
        }
        return lines;
    }

    private static Cli check(Path manifest, Path policy, Object... reportsAndArgs) {
        List<String> args = new ArrayList<>(List.of("check", manifest.toString(),
                "--policy", policy.toString(), "-o", "json"));
        for (int i = 0; i < reportsAndArgs.length; i++) {
            if (reportsAndArgs[i] instanceof Path report) {
                args.add("--scan-report");
                args.add(report.toString());
            } else {
                args.add(reportsAndArgs[i].toString());
            }
        }
        return Cli.run(args.toArray(String[]::new));
    }

    private static String digest(String reference) {
        return reference.substring(reference.indexOf('@') + 1);
    }

    private static Path deployment(String image) {
        return write("deployment.yaml", Manifests.scanDeployment(image));
    }

    private static Path policy(String specScan) {
        return write("policy.yaml", Manifests.scanPolicy(specScan));
    }

    /** A new file each time: the tests of this class share the directory. */
    private static Path write(String name, String content) {
        return Manifests.write(work, counter.incrementAndGet() + "-" + name, content);
    }
}
