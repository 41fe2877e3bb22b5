package dev.hardening.rules;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one scan says about one image, keyed by its manifest digest: the source the operator or the CLI read it from
 * ({@code ImageScan sha256-...}, {@code VulnerabilityReport shop/replicaset-web-app}, a report file), whether it is
 * trusted (a trusted scan may clear a digest; an untrusted one only adds findings), the exact counts per severity,
 * and the findings, most severe first, possibly capped ({@code truncated}).
 */
public record ScanResult(String digest, String image, String source, boolean trusted, String scanner,
                         String scannerVersion, Instant scannedAt, Map<Severity, Integer> summary,
                         List<ScanFinding> findings, boolean truncated) {

    /** Most severe first, then by id, so that every source lists findings in the same order. */
    public static final Comparator<ScanFinding> ORDER = Comparator.comparing(ScanFinding::severity)
            .thenComparing(ScanFinding::id).thenComparing(ScanFinding::pkg);

    public ScanResult {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(source, "source");
        scanner = scanner == null || scanner.isBlank() ? "unknown scanner" : scanner;
        scannerVersion = scannerVersion == null ? "" : scannerVersion;
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            counts.put(severity, summary == null ? 0 : summary.getOrDefault(severity, 0));
        }
        summary = Map.copyOf(counts);
        findings = findings == null ? List.of() : findings.stream().sorted(ORDER).toList();
    }

    /** The exact number of findings of {@code severity}, even when {@link #findings()} is capped. */
    public int count(Severity severity) {
        return summary.get(severity);
    }

    /** {@code trivy 0.74.0}: the scanner as a message names it. */
    public String scannerLabel() {
        return scannerVersion.isEmpty() ? scanner : scanner + " " + scannerVersion;
    }
}
