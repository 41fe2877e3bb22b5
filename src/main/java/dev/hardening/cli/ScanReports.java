package dev.hardening.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hardening.policy.ImageScan;
import dev.hardening.rules.ImageReference;
import dev.hardening.rules.ScanFinding;
import dev.hardening.rules.ScanResult;
import dev.hardening.rules.Severity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scanner reports read as scans, one per manifest digest the report names: Trivy's JSON (SchemaVersion 2, digests from
 * {@code Metadata.RepoDigests}) and Grype's JSON ({@code source.target.manifestDigest}). Never the image ID, which is
 * the config's digest and matches no Pod's image. A report given by the user is trusted: it is what CI scanned.
 */
final class ScanReports {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScanReports() {
    }

    /** The scans of {@code file}; every problem is one line naming the file. */
    static List<ScanResult> read(Path file) throws InputException {
        JsonNode report;
        try {
            report = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new InputException(file + ": not a JSON scan report (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new InputException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (report != null && report.has("SchemaVersion")) {
            return trivy(file, report);
        }
        if (report != null && report.has("matches") && report.has("source")) {
            return grype(file, report);
        }
        throw new InputException(file + ": not a Trivy (-f json) or Grype (-o json) report");
    }

    private static List<ScanResult> trivy(Path file, JsonNode report) throws InputException {
        if (report.path("SchemaVersion").asInt() != 2) {
            throw new InputException(file + ": Trivy report SchemaVersion " + report.path("SchemaVersion").asText()
                    + " is not supported; run a Trivy that writes SchemaVersion 2 (v0.20 or later)");
        }
        Set<String> digests = new LinkedHashSet<>();
        report.path("Metadata").path("RepoDigests").forEach(d -> digestOf(d.asText(), digests));
        if (digests.isEmpty()) {
            throw new InputException(file + ": the report names no manifest digest (Metadata.RepoDigests is empty; "
                    + "the image ID is the config's digest, which no Pod names): scan from the registry by digest, "
                    + "trivy image --image-src remote -f json <image>@sha256:<digest>");
        }
        Map<String, ScanFinding> findings = new LinkedHashMap<>();
        for (JsonNode result : report.path("Results")) {
            for (JsonNode v : result.path("Vulnerabilities")) {
                add(findings, new ScanFinding(cut(text(v, "VulnerabilityID"), 128), cut(text(v, "PkgName"), 256),
                        cut(text(v, "InstalledVersion"), 128), cut(text(v, "FixedVersion"), 256),
                        Severity.parse(text(v, "Severity")), cut(text(v, "Title"), 256)));
            }
        }
        Instant at = time(file, text(report, "CreatedAt"), "CreatedAt");
        return results(file, digests, text(report, "ArtifactName"), "trivy", text(report.path("Trivy"), "Version"), at, findings);
    }

    private static List<ScanResult> grype(Path file, JsonNode report) throws InputException {
        JsonNode target = report.path("source").path("target");
        Set<String> digests = new LinkedHashSet<>();
        digestOf(text(target, "manifestDigest"), digests);
        if (digests.isEmpty()) {
            throw new InputException(file + ": the report names no manifest digest (source.target.manifestDigest is "
                    + "empty; the image ID is the config's digest, which no Pod names): scan from the registry by digest, "
                    + "grype registry:<image>@sha256:<digest> -o json");
        }
        Map<String, ScanFinding> findings = new LinkedHashMap<>();
        for (JsonNode match : report.path("matches")) {
            JsonNode vulnerability = match.path("vulnerability");
            JsonNode fix = vulnerability.path("fix");
            List<String> fixed = new ArrayList<>();
            if ("fixed".equals(text(fix, "state"))) {
                fix.path("versions").forEach(version -> fixed.add(version.asText()));
            }
            String severity = text(vulnerability, "severity");
            add(findings, new ScanFinding(cut(text(vulnerability, "id"), 128), cut(text(match.path("artifact"), "name"), 256),
                    cut(text(match.path("artifact"), "version"), 128), cut(String.join(", ", fixed), 256),
                    "Negligible".equalsIgnoreCase(severity) ? Severity.LOW : Severity.parse(severity), ""));
        }
        JsonNode descriptor = report.path("descriptor");
        Instant at = time(file, text(descriptor, "timestamp"), "descriptor.timestamp");
        String name = text(descriptor, "name").isEmpty() ? "grype" : text(descriptor, "name");
        return results(file, digests, text(target, "userInput"), name, text(descriptor, "version"), at, findings);
    }

    private static List<ScanResult> results(Path file, Set<String> digests, String image, String scanner, String version,
                                            Instant at, Map<String, ScanFinding> findings) {
        Map<Severity, Integer> summary = new EnumMap<>(Severity.class);
        for (ScanFinding finding : findings.values()) {
            summary.merge(finding.severity(), 1, Integer::sum);
        }
        List<ScanResult> results = new ArrayList<>();
        for (String digest : digests) {
            results.add(new ScanResult(digest, cut(image, 512), "report " + file, true, scanner, version, at, summary,
                    List.copyOf(findings.values()), false));
        }
        return results;
    }

    /** One finding per id, package and installed version: a report lists one several times when several targets hold it. */
    private static void add(Map<String, ScanFinding> findings, ScanFinding finding) {
        if (!finding.id().isEmpty()) {
            findings.putIfAbsent(finding.id() + ' ' + finding.pkg() + ' ' + finding.installedVersion(), finding);
        }
    }

    /** {@code repo@sha256:<hex>} or {@code sha256:<hex>}: the manifest digest, if it is one. */
    private static void digestOf(String value, Set<String> digests) {
        int at = value.lastIndexOf('@');
        String digest = at < 0 ? value : value.substring(at + 1);
        if (ImageScan.DIGEST.matcher(digest).matches()) {
            digests.add(digest);
        }
    }

    /**
     * The scan's time; a report that leaves it empty (Grype's own test reports do) is dated by the file's last
     * modification, which is when the scanner wrote it.
     */
    private static Instant time(Path file, String value, String field) throws InputException {
        if (value.isEmpty()) {
            try {
                return Files.getLastModifiedTime(file).toInstant();
            } catch (IOException e) {
                throw new InputException(file + ": " + field + " is empty and the file's time cannot be read");
            }
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InputException(file + ": " + field + " is not an RFC 3339 time: " + ImageReference.quoted(value));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : "";
    }

    /** What the ImageScan schema allows, so that kubectl apply never refuses an imported scan for a long field. */
    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
