package dev.hardening.rules.scan;

import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.Fixes;
import dev.hardening.rules.ImageReference;
import dev.hardening.rules.ImageReference.InvalidImage;
import dev.hardening.rules.ImageReference.ParsedImage;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.ScanResult;
import dev.hardening.rules.Violation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code image-scanned}: a trusted scan of the image's manifest digest exists and is recent enough. An image without
 * a digest fails too, since no scan can match it. Its natural mode is Warn while a cluster adopts scanning: it then
 * shows which running images nobody has scanned yet, without refusing them.
 */
public final class ImageScannedRule extends ScanRule {

    static final String IMPORT = "hardening scan import REPORT | kubectl apply -f - (docs/scanning.md)";

    public ImageScannedRule() {
        super(new RuleInfo("image-scanned", Profile.None, "Images scanned",
                "A trusted scan of the image's manifest digest is known (an ImageScan, or a Trivy Operator "
                        + "VulnerabilityReport when the operator is set to trust them) and is not older than "
                        + "spec.scan.maxAge; an image without a digest fails, since no scan can match it. Opt-in; "
                        + "Warn mode suits a cluster that is adopting scanning.",
                "Release checklist, image scanning: a digest nobody scanned passes image-vulnerabilities only because "
                        + "nothing is known about it.",
                "Pin the image by digest, scan that digest (trivy image --image-src remote -f json) and import the "
                        + "report with hardening scan import REPORT | kubectl apply -f -.",
                new RuleExample("""
                        spec:
                          containers:
                          - name: app
                            image: registry.example.com/app:1.0
                        """, """
                        spec:
                          containers:
                          - name: app
                            image: registry.example.com/app:1.1@sha256:%s
                        """.formatted("b".repeat(64)))));
    }

    @Override
    Optional<Violation> check(ContainerRef container, ImageReference reference, RuleSettings settings) {
        String quoted = ImageReference.quoted(container.image());
        String field = container.field("image");
        if (reference instanceof InvalidImage invalid) {
            return imageViolation(container, "image " + quoted + " is not a valid reference: " + invalid.reason(),
                    Fixes.set(field, "a valid reference, e.g. registry.example.com/app:1.0@sha256:<digest>"));
        }
        ParsedImage image = (ParsedImage) reference;
        if (!image.pinned()) {
            return imageViolation(container, "image " + quoted + " names no digest, so no scan can match it",
                    Fixes.set(field, image.original() + "@sha256:<digest> of a scanned build"));
        }
        List<ScanResult> scans = settings.scans().scansOf(image.digest());
        ScanResult newest = null;
        ScanResult untrusted = null;
        for (ScanResult scan : scans) {
            if (!scan.trusted()) {
                untrusted = untrusted == null ? scan : untrusted;
            } else if (newest == null || after(scan.scannedAt(), newest.scannedAt())) {
                newest = scan;
            }
        }
        if (newest == null) {
            return imageViolation(container, "image " + quoted + " has no trusted scan"
                            + (untrusted == null ? "" : " (only " + text(untrusted.source()) + ", which cannot clear a digest)"),
                    "scan that digest and import the report: " + IMPORT);
        }
        Duration maxAge = settings.scan().maxAge();
        if (maxAge != null && (newest.scannedAt() == null || newest.scannedAt().plus(maxAge).isBefore(settings.now()))) {
            return imageViolation(container, "image " + quoted + " was last scanned on " + day(newest.scannedAt()) + " by "
                            + text(newest.scanner()) + ", longer ago than spec.scan.maxAge " + hours(maxAge),
                    "scan that digest again and import the report: " + IMPORT);
        }
        return Optional.empty();
    }

    /** {@code 168h}, {@code 90m}: the spelling spec.scan.maxAge uses. */
    static String hours(Duration age) {
        if (age.toSecondsPart() != 0) {
            return age.toSeconds() + "s";
        }
        return age.toMinutesPart() != 0 ? age.toMinutes() + "m" : age.toHours() + "h";
    }

    private static boolean after(Instant a, Instant b) {
        return a != null && (b == null || a.isAfter(b));
    }
}
