package dev.hardening.engine;

import dev.hardening.policy.ImageScanSpec;
import dev.hardening.policy.ImageScan;
import dev.hardening.rules.ScanFinding;
import dev.hardening.rules.ScanResult;
import dev.hardening.rules.Severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ImageScan objects as the scan rules read them; an object that is not a well-formed scan of the digest it is named after is none. */
public final class ImageScans {

    private ImageScans() {
    }

    /**
     * The scan an ImageScan holds, trusted (only a cluster admin's grant writes one), or empty when it is malformed:
     * no spec, a digest that is not {@code sha256:<hex>} or does not match the name, no readable scan time.
     */
    public static Optional<ScanResult> toResult(ImageScan scan) {
        ImageScanSpec spec = scan.getSpec();
        if (spec == null || spec.getDigest() == null || !ImageScan.DIGEST.matcher(spec.getDigest()).matches()
                || scan.getMetadata() == null || !ImageScan.nameOf(spec.getDigest()).equals(scan.getMetadata().getName())) {
            return Optional.empty();
        }
        Optional<Instant> scannedAt = spec.getScannedAt() == null ? Optional.empty() : PolicyValidator.parseExpiry(spec.getScannedAt());
        if (scannedAt.isEmpty()) {
            return Optional.empty();
        }
        List<ScanFinding> findings = new ArrayList<>();
        for (ImageScanSpec.Finding finding : PolicyValidator.nullToEmpty(spec.getFindings())) {
            if (finding != null && finding.getId() != null) {
                findings.add(new ScanFinding(finding.getId(), finding.getPkg(), finding.getInstalledVersion(),
                        finding.getFixedVersion(), Severity.parse(finding.getSeverity()), finding.getTitle()));
            }
        }
        ImageScanSpec.Scanner scanner = spec.getScanner() == null ? new ImageScanSpec.Scanner() : spec.getScanner();
        return Optional.of(new ScanResult(spec.getDigest(), spec.getImage(), "ImageScan " + scan.getMetadata().getName(), true,
                scanner.getName(), scanner.getVersion(), scannedAt.get(), summary(spec.getSummary()), findings,
                Boolean.TRUE.equals(spec.getFindingsTruncated())));
    }

    /** The ImageScan of {@code result}: findings most severe first, capped at {@link ImageScanSpec#MAX_FINDINGS}. */
    public static ImageScan fromResult(ScanResult result) {
        ImageScanSpec spec = new ImageScanSpec();
        spec.setDigest(result.digest());
        spec.setImage(result.image());
        spec.setScanner(new ImageScanSpec.Scanner(result.scanner(), result.scannerVersion().isEmpty() ? null : result.scannerVersion()));
        spec.setScannedAt(result.scannedAt().toString());
        ImageScanSpec.Summary summary = new ImageScanSpec.Summary();
        summary.setCritical(result.count(Severity.CRITICAL));
        summary.setHigh(result.count(Severity.HIGH));
        summary.setMedium(result.count(Severity.MEDIUM));
        summary.setLow(result.count(Severity.LOW));
        summary.setUnknown(result.count(Severity.UNKNOWN));
        spec.setSummary(summary);
        List<ImageScanSpec.Finding> findings = new ArrayList<>();
        for (ScanFinding finding : result.findings()) {
            if (findings.size() == ImageScanSpec.MAX_FINDINGS) {
                break;
            }
            ImageScanSpec.Finding out = new ImageScanSpec.Finding();
            out.setId(finding.id());
            out.setPkg(finding.pkg());
            out.setInstalledVersion(finding.installedVersion());
            out.setFixedVersion(finding.fixedVersion());
            out.setSeverity(finding.severity().name());
            out.setTitle(finding.title().isEmpty() ? null : finding.title());
            findings.add(out);
        }
        spec.setFindings(findings);
        if (result.truncated() || result.findings().size() > ImageScanSpec.MAX_FINDINGS) {
            spec.setFindingsTruncated(true);
        }
        ImageScan scan = new ImageScan();
        scan.getMetadata().setName(ImageScan.nameOf(result.digest()));
        scan.setSpec(spec);
        return scan;
    }

    private static Map<Severity, Integer> summary(ImageScanSpec.Summary summary) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        if (summary != null) {
            counts.put(Severity.CRITICAL, summary.getCritical());
            counts.put(Severity.HIGH, summary.getHigh());
            counts.put(Severity.MEDIUM, summary.getMedium());
            counts.put(Severity.LOW, summary.getLow());
            counts.put(Severity.UNKNOWN, summary.getUnknown());
        }
        return counts;
    }
}
