package dev.hardening.rules.scan;

import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.Fixes;
import dev.hardening.rules.ImageReference;
import dev.hardening.rules.ImageReference.ParsedImage;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.ScanFinding;
import dev.hardening.rules.ScanResult;
import dev.hardening.rules.ScanSettings;
import dev.hardening.rules.Severity;
import dev.hardening.rules.Violation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code image-vulnerabilities}: no scan of the exact digest lists a finding at or above {@code spec.scan.severity}
 * that is not ignored. Every scan of the digest counts, trusted or not: an untrusted report can add findings, never
 * take one away. One violation per container, listing its findings, most severe first.
 */
public final class ImageVulnerabilitiesRule extends ScanRule {

    /** Findings a message lists; the rest are counted. */
    static final int LISTED = 5;

    public ImageVulnerabilitiesRule() {
        super(new RuleInfo("image-vulnerabilities", Profile.None, "No known vulnerabilities in images",
                "A scan of the image's manifest digest (an ImageScan, or a Trivy Operator VulnerabilityReport) lists no "
                        + "vulnerability at or above spec.scan.severity (default CRITICAL) that spec.scan.ignore does not "
                        + "cover; spec.scan.ignoreUnfixed leaves out findings without a fixed version. Opt-in; an image "
                        + "without a digest or a scan is left to image-scanned.",
                "Release checklist, the last gate: image scanning passes with 0 CRITICAL vulnerabilities.",
                "Rebuild the image on a patched base and set the container's image to the new digest, or add the "
                        + "vulnerability id to spec.scan.ignore with a reason (and an expiry).",
                new RuleExample("""
                        spec:
                          containers:
                          - name: app
                            image: registry.example.com/app:1.0@sha256:%s
                        """.formatted("a".repeat(64)), """
                        spec:
                          containers:
                          - name: app
                            image: registry.example.com/app:1.1@sha256:%s
                        """.formatted("b".repeat(64)))));
    }

    @Override
    Optional<Violation> check(ContainerRef container, ImageReference reference, RuleSettings settings) {
        if (!(reference instanceof ParsedImage image) || !image.pinned()) {
            return Optional.empty();
        }
        List<ScanResult> scans = settings.scans().scansOf(image.digest());
        if (scans.isEmpty()) {
            return Optional.empty();
        }
        ScanSettings policy = settings.scan();
        List<String> listed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int found = 0;
        int unlisted = 0;
        for (ScanResult scan : scans) {
            int shown = 0;
            for (ScanFinding finding : scan.findings()) {
                if (finding.severity().atLeast(policy.severity())) {
                    shown++;
                }
                if (policy.reports(finding, container.image(), settings.now())
                        && seen.add(finding.id() + ' ' + finding.pkg() + ' ' + finding.installedVersion())) {
                    found++;
                    if (listed.size() < LISTED) {
                        listed.add(describe(finding, scan));
                    }
                }
            }
            if (scan.truncated()) {
                // a capped scan still counts exactly: what it does not list cannot be ignored, so it counts
                unlisted = Math.max(unlisted, countAtLeast(scan, policy.severity()) - shown);
            }
        }
        if (found + unlisted == 0) {
            return Optional.empty();
        }
        StringBuilder message = new StringBuilder(200).append("image ").append(ImageReference.quoted(container.image()))
                .append(" has ").append(plural(found + unlisted, "vulnerability", "vulnerabilities"))
                .append(" at or above ").append(policy.severity()).append(": ").append(String.join(", ", listed));
        if (found > listed.size()) {
            message.append(listed.isEmpty() ? "" : ", ").append("and ").append(found - listed.size()).append(" more");
        }
        if (unlisted > 0) {
            message.append(found == 0 ? "" : ", ").append(unlisted).append(" more not listed by the capped scan");
        }
        return imageViolation(container, message.toString(),
                "rebuild on a patched base and " + Fixes.set(container.field("image"), "the new digest")
                        + ", or add the id to spec.scan.ignore with a reason");
    }

    /** {@code CVE-2019-14697 musl 1.1.20-r4 → 1.1.20-r5 CRITICAL (trivy 0.74.0, 2026-12-04)}. */
    static String describe(ScanFinding finding, ScanResult scan) {
        return text(finding.id()) + ' ' + text(finding.pkg()) + ' ' + text(finding.installedVersion()) + " \u2192 "
                + (finding.fixable() ? text(finding.fixedVersion()) : "no fix") + ' ' + finding.severity()
                + " (" + text(scan.scanner()) + (scan.scannerVersion().isEmpty() ? "" : " " + text(scan.scannerVersion()))
                + ", " + day(scan.scannedAt()) + ")";
    }

    private static int countAtLeast(ScanResult scan, Severity threshold) {
        int count = 0;
        for (Severity severity : Severity.values()) {
            if (severity.atLeast(threshold)) {
                count += scan.count(severity);
            }
        }
        return count;
    }

    private static String plural(int count, String one, String many) {
        return count + " " + (count == 1 ? one : many);
    }
}
