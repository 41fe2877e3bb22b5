package dev.hardening.index;

import dev.hardening.engine.VulnerabilityReports;
import dev.hardening.rules.ScanFinding;
import dev.hardening.rules.ScanResult;
import dev.hardening.rules.Severity;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory scans admission reads: by digest, trusted first, bounded, following updates and deletes. */
class DigestIndexTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);

    private static ScanResult scan(String digest, String source, boolean trusted) {
        return new ScanResult(digest, null, source, trusted, "trivy", "0.74.0", Instant.EPOCH, Map.of(), List.of(), false);
    }

    @Test
    void scansAreKeptByDigestTrustedFirst() {
        DigestIndex index = new DigestIndex(10);
        index.put("VulnerabilityReport/shop/r", scan(A, "VulnerabilityReport shop/r", false));
        index.put("ImageScan//sha256-a", scan(A, "ImageScan sha256-a", true));

        assertThat(index.scansOf(A)).extracting(ScanResult::source)
                .containsExactly("ImageScan sha256-a", "VulnerabilityReport shop/r");
        assertThat(index.scansOf(B)).isEmpty();
    }

    @Test
    void anUpdateToAnotherDigestMovesTheScanAndADeleteRemovesIt() {
        DigestIndex index = new DigestIndex(10);
        index.put("VulnerabilityReport/shop/r", scan(A, "VulnerabilityReport shop/r", false));
        index.put("VulnerabilityReport/shop/r", scan(B, "VulnerabilityReport shop/r", false));
        assertThat(index.scansOf(A)).isEmpty();
        assertThat(index.scansOf(B)).hasSize(1);

        index.remove("VulnerabilityReport/shop/r");
        assertThat(index.scansOf(B)).isEmpty();
        assertThat(index.digests()).isZero();
    }

    @Test
    void aFullIndexLeavesNewDigestsOutButKeepsUpdatingTheOnesItHolds() {
        DigestIndex index = new DigestIndex(1);
        assertThat(index.put("ImageScan//a", scan(A, "ImageScan a", true))).isTrue();
        assertThat(index.put("ImageScan//b", scan(B, "ImageScan b", true))).isFalse();
        assertThat(index.put("VulnerabilityReport/shop/r", scan(A, "VulnerabilityReport shop/r", false))).isTrue();

        assertThat(index.scansOf(B)).isEmpty();
        assertThat(index.scansOf(A)).hasSize(2);
        assertThat(index.leftOut()).isEqualTo(1);
    }

    @Test
    void aFullIndexKeepsARescanOfADigestOnlyOneObjectHolds() {
        DigestIndex index = new DigestIndex(1);
        index.put("ImageScan//a", scan(A, "ImageScan a", true));
        ScanResult rescan = new ScanResult(A, null, "ImageScan a", true, "trivy", "0.75.0", Instant.EPOCH.plusSeconds(60),
                Map.of(), List.of(), false);

        assertThat(index.put("ImageScan//a", rescan)).isTrue();
        assertThat(index.scansOf(A)).extracting(ScanResult::scannerVersion).containsExactly("0.75.0");
        assertThat(index.leftOut()).isZero();

        // moving the only object of the full index to another digest frees the slot it held
        assertThat(index.put("ImageScan//a", scan(B, "ImageScan a", true))).isTrue();
        assertThat(index.scansOf(A)).isEmpty();
        assertThat(index.scansOf(B)).hasSize(1);
    }

    @Test
    void aVulnerabilityReportIsAScanOfItsArtifactDigestTrustedOnlyWhenConfigured() throws Exception {
        var report = new ObjectMapper().readTree("""
                {"artifact": {"repository": "musl", "digest": "%s", "tag": "vulnerable"},
                 "registry": {"server": "127.0.0.1:5000"},
                 "scanner": {"name": "Trivy", "vendor": "Aqua Security", "version": "0.74.0"},
                 "updateTimestamp": "2026-12-04T22:10:11Z",
                 "summary": {"criticalCount": 1, "highCount": 0, "mediumCount": 0, "lowCount": 0, "unknownCount": 0},
                 "vulnerabilities": [{"vulnerabilityID": "CVE-2019-14697", "resource": "musl", "installedVersion": "1.1.20-r4",
                   "fixedVersion": "1.1.20-r5", "severity": "CRITICAL", "title": "musl: x87 stack imbalance"}]}
                """.formatted(A));

        ScanResult untrusted = VulnerabilityReports.toResult("shop", "replicaset-web-app", report, false).orElseThrow();
        assertThat(untrusted.trusted()).isFalse();
        assertThat(untrusted.source()).isEqualTo("VulnerabilityReport shop/replicaset-web-app");
        assertThat(untrusted.image()).isEqualTo("127.0.0.1:5000/musl@" + A);
        assertThat(untrusted.count(Severity.CRITICAL)).isEqualTo(1);
        assertThat(untrusted.findings()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("CVE-2019-14697");
            assertThat(f.pkg()).isEqualTo("musl");
            assertThat(f.fixedVersion()).isEqualTo("1.1.20-r5");
        });
        assertThat(VulnerabilityReports.toResult("shop", "r", report, true).orElseThrow().trusted()).isTrue();

        ((com.fasterxml.jackson.databind.node.ObjectNode) report.path("artifact")).put("digest", "");
        assertThat(VulnerabilityReports.toResult("shop", "r", report, false)).as("no digest, no scan").isEmpty();
    }

    @Test
    void aVulnerabilityReportKeepsItsMostSevere200FindingsInMemoryAndItsExactCounts() throws Exception {
        StringBuilder vulnerabilities = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            vulnerabilities.append(i == 0 ? "" : ",").append("{\"vulnerabilityID\": \"CVE-2026-%04d\", \"resource\": \"p\", "
                    .formatted(i)).append("\"severity\": \"").append(i == 249 ? "CRITICAL" : "LOW").append("\"}");
        }
        var report = new ObjectMapper().readTree(("{\"artifact\": {\"digest\": \"%s\"}, \"summary\": {\"criticalCount\": 1, "
                + "\"lowCount\": 249}, \"vulnerabilities\": [%s]}").formatted(A, vulnerabilities));

        ScanResult scan = VulnerabilityReports.toResult("shop", "big", report, false).orElseThrow();
        assertThat(scan.findings()).hasSize(200);
        assertThat(scan.findings().get(0).id()).isEqualTo("CVE-2026-0249");
        assertThat(scan.truncated()).isTrue();
        assertThat(scan.count(Severity.LOW)).isEqualTo(249);
    }

    @Test
    void reportsThatSayTheSameAboutADigestShareOneScanNamedAfterOneThatStillExists() {
        DigestIndex index = new DigestIndex(10);
        for (int i = 0; i < 1000; i++) {
            index.put("VulnerabilityReport/shop/r" + i, scan(A, "VulnerabilityReport shop/r" + i, false));
        }
        index.put("VulnerabilityReport/shop/other", new ScanResult(A, null, "VulnerabilityReport shop/other", false,
                "trivy", "0.74.0", Instant.EPOCH, Map.of(Severity.CRITICAL, 1), List.of(), false));

        // a thousand identical reports are one scan; the one that differs is another
        assertThat(index.scansOf(A)).extracting(ScanResult::source)
                .containsExactly("VulnerabilityReport shop/other", "VulnerabilityReport shop/r0");
        index.remove("VulnerabilityReport/shop/r0");
        assertThat(index.scansOf(A)).extracting(ScanResult::source).hasSize(2)
                .doesNotContain("VulnerabilityReport shop/r0").allMatch(s -> s.startsWith("VulnerabilityReport shop/"));
        for (int i = 1; i < 1000; i++) {
            index.remove("VulnerabilityReport/shop/r" + i);
        }
        assertThat(index.scansOf(A)).extracting(ScanResult::source).containsExactly("VulnerabilityReport shop/other");
        index.remove("VulnerabilityReport/shop/other");
        assertThat(index.digests()).isZero();
    }

    @Test
    void aReportThatChangesLeavesTheScanItSharedToTheOthers() {
        DigestIndex index = new DigestIndex(10);
        index.put("VulnerabilityReport/shop/a", scan(A, "VulnerabilityReport shop/a", false));
        index.put("VulnerabilityReport/shop/b", scan(A, "VulnerabilityReport shop/b", false));
        index.put("VulnerabilityReport/shop/a", new ScanResult(A, null, "VulnerabilityReport shop/a", false, "trivy",
                "0.74.0", Instant.EPOCH, Map.of(Severity.HIGH, 2), List.of(), false));

        assertThat(index.scansOf(A)).extracting(ScanResult::source)
                .containsExactly("VulnerabilityReport shop/a", "VulnerabilityReport shop/b");
        assertThat(index.scansOf(A)).extracting(s -> s.count(Severity.HIGH)).containsExactly(2, 0);
    }

    @Test
    void scansOfADigestAtDifferentTimesThatListTheSameFindingsHoldThemOnce() {
        DigestIndex index = new DigestIndex(10);
        List<ScanFinding> findings = List.of(new ScanFinding("CVE-2019-14697", "musl", "1.1.20-r4", "1.1.20-r5",
                Severity.CRITICAL, "musl: x87 stack imbalance"));
        for (String name : List.of("a", "b")) {
            index.put("VulnerabilityReport/shop/" + name, new ScanResult(A, null, "VulnerabilityReport shop/" + name,
                    false, "Trivy", "0.74.0", Instant.parse("2026-12-04T10:00:00Z").plusSeconds(name.hashCode()),
                    Map.of(Severity.CRITICAL, 1), findings.stream().map(f -> new ScanFinding(f.id(), f.pkg(),
                    f.installedVersion(), f.fixedVersion(), f.severity(), f.title())).toList(), false));
        }

        List<ScanResult> scans = index.scansOf(A);
        assertThat(scans).extracting(ScanResult::scannedAt).doesNotHaveDuplicates();
        assertThat(scans.get(1).findings().get(0)).isEqualTo(findings.get(0)).isSameAs(scans.get(0).findings().get(0));
    }
}
