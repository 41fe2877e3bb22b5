package dev.hardening.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A policy's {@code spec.scan}, compiled: which findings {@code image-vulnerabilities} reports and how old a scan
 * {@code image-scanned} accepts.
 *
 * @param severity      the lowest severity reported (default CRITICAL)
 * @param ignoreUnfixed whether findings without a fixed version are left out
 * @param maxAge        the oldest scan accepted, or null for any age
 * @param ignore        vulnerability ids let through, each for a reason
 */
public record ScanSettings(Severity severity, boolean ignoreUnfixed, Duration maxAge, List<Ignore> ignore) {

    public static final ScanSettings DEFAULTS = new ScanSettings(Severity.CRITICAL, false, null, List.of());

    public ScanSettings {
        severity = severity == null ? Severity.CRITICAL : severity;
        ignore = ignore == null ? List.of() : List.copyOf(ignore);
    }

    /**
     * One entry of {@code spec.scan.ignore}.
     *
     * @param index   its place in spec.scan.ignore, for messages
     * @param images  globs of the images it covers, compiled; empty for every image
     * @param expires first instant at which it no longer applies, or null for never
     */
    public record Ignore(int index, String id, List<Pattern> images, String reason, Instant expires) {

        public Ignore {
            Objects.requireNonNull(id, "id");
            images = images == null ? List.of() : List.copyOf(images);
        }

        /** Whether it lets {@code finding} of {@code image} through at {@code now}. */
        public boolean covers(ScanFinding finding, String image, Instant now) {
            if (!id.equals(finding.id()) || (expires != null && !now.isBefore(expires))) {
                return false;
            }
            if (images.isEmpty()) {
                return true;
            }
            for (Pattern pattern : images) {
                if (image != null && pattern.matcher(image).matches()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Whether {@code finding} in {@code image} counts at {@code now}: severe enough, fixable if asked, not ignored. */
    public boolean reports(ScanFinding finding, String image, Instant now) {
        if (!finding.severity().atLeast(severity) || (ignoreUnfixed && !finding.fixable())) {
            return false;
        }
        for (Ignore entry : ignore) {
            if (entry.covers(finding, image, now)) {
                return false;
            }
        }
        return true;
    }
}
