package dev.hardening.rules;

import java.util.Objects;

/**
 * One vulnerability a scanner found in an image.
 *
 * @param id               the vulnerability id, e.g. {@code CVE-2019-14697}
 * @param pkg              the package it is in, e.g. {@code musl}
 * @param installedVersion the version in the image
 * @param fixedVersion     the first version that fixes it, or empty when there is no fix yet
 * @param title            a short title, or empty
 */
public record ScanFinding(String id, String pkg, String installedVersion, String fixedVersion, Severity severity,
                          String title) {

    public ScanFinding {
        Objects.requireNonNull(id, "id");
        pkg = pkg == null ? "" : pkg;
        installedVersion = installedVersion == null ? "" : installedVersion;
        fixedVersion = fixedVersion == null ? "" : fixedVersion;
        severity = severity == null ? Severity.UNKNOWN : severity;
        title = title == null ? "" : title;
    }

    public boolean fixable() {
        return !fixedVersion.isEmpty();
    }
}
