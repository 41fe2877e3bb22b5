package dev.hardening.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.ArrayList;
import java.util.List;

/** An ImageScan's spec; see {@link ImageScan}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = SchemaPatch.class, input = "{\"properties\":{\"scannedAt\":{\"format\":\"date-time\"}}}")
public class ImageScanSpec {

    /** The most findings an ImageScan lists; the summary stays exact. */
    public static final int MAX_FINDINGS = 200;

    @Required
    @Pattern("^sha256:[a-f0-9]{64}$")
    @JsonPropertyDescription("The image's manifest digest (what a Pod's image@sha256:... names), never the image ID.")
    private String digest;

    @Size(max = 512)
    @JsonPropertyDescription("The reference that was scanned, for people; the digest decides what the scan is about.")
    private String image;

    @Required
    @JsonPropertyDescription("The scanner that produced the findings.")
    private Scanner scanner;

    @Required
    @JsonPropertyDescription("When the scan ran, RFC 3339, e.g. 2026-12-04T10:00:00Z.")
    private String scannedAt;

    @Required
    @JsonPropertyDescription("Exact number of findings per severity, also when findings is capped.")
    private Summary summary;

    @Size(max = MAX_FINDINGS)
    @JsonPropertyDescription("The findings, most severe first, at most 200 (findingsTruncated says when more exist).")
    private List<Finding> findings = new ArrayList<>();

    @JsonPropertyDescription("True when findings lists only the most severe 200.")
    private Boolean findingsTruncated;

    /** The scanner: its name and version. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Scanner {

        @Required
        @Size(min = 1, max = 64)
        @JsonPropertyDescription("e.g. trivy or grype.")
        private String name;

        @Size(max = 64)
        @JsonPropertyDescription("e.g. 0.74.0.")
        private String version;

        public Scanner() {
        }

        public Scanner(String name, String version) {
            this.name = name;
            this.version = version;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getVersion() {
            return version;
        }

        public void setVersion(String version) {
            this.version = version;
        }
    }

    /** Counts per severity. */
    public static class Summary {

        private int critical;
        private int high;
        private int medium;
        private int low;
        private int unknown;

        public int getCritical() {
            return critical;
        }

        public void setCritical(int critical) {
            this.critical = critical;
        }

        public int getHigh() {
            return high;
        }

        public void setHigh(int high) {
            this.high = high;
        }

        public int getMedium() {
            return medium;
        }

        public void setMedium(int medium) {
            this.medium = medium;
        }

        public int getLow() {
            return low;
        }

        public void setLow(int low) {
            this.low = low;
        }

        public int getUnknown() {
            return unknown;
        }

        public void setUnknown(int unknown) {
            this.unknown = unknown;
        }
    }

    /** One vulnerability in one package. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Finding {

        @Required
        @Size(min = 1, max = 128)
        @JsonPropertyDescription("The vulnerability id, e.g. CVE-2019-14697.")
        private String id;

        @Required
        @Size(max = 256)
        @JsonProperty("package")
        @JsonPropertyDescription("The package it is in, e.g. musl.")
        private String pkg;

        @Size(max = 128)
        @JsonPropertyDescription("The version in the image.")
        private String installedVersion;

        @Size(max = 256)
        @JsonPropertyDescription("The first version that fixes it; empty when none does yet.")
        private String fixedVersion;

        @Required
        @Pattern("^(CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN)$")
        @JsonPropertyDescription("CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN.")
        private String severity;

        @Size(max = 256)
        @JsonPropertyDescription("A short title, if the scanner gives one.")
        private String title;

        public String getId() {
            return id;
        }

        public void setId(String id) {
            this.id = id;
        }

        @JsonProperty("package")
        public String getPkg() {
            return pkg;
        }

        @JsonProperty("package")
        public void setPkg(String pkg) {
            this.pkg = pkg;
        }

        public String getInstalledVersion() {
            return installedVersion;
        }

        public void setInstalledVersion(String installedVersion) {
            this.installedVersion = installedVersion;
        }

        public String getFixedVersion() {
            return fixedVersion;
        }

        public void setFixedVersion(String fixedVersion) {
            this.fixedVersion = fixedVersion;
        }

        public String getSeverity() {
            return severity;
        }

        public void setSeverity(String severity) {
            this.severity = severity;
        }

        public String getTitle() {
            return title;
        }

        public void setTitle(String title) {
            this.title = title;
        }
    }

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public Scanner getScanner() {
        return scanner;
    }

    public void setScanner(Scanner scanner) {
        this.scanner = scanner;
    }

    public String getScannedAt() {
        return scannedAt;
    }

    public void setScannedAt(String scannedAt) {
        this.scannedAt = scannedAt;
    }

    public Summary getSummary() {
        return summary;
    }

    public void setSummary(Summary summary) {
        this.summary = summary;
    }

    public List<Finding> getFindings() {
        return findings;
    }

    public void setFindings(List<Finding> findings) {
        this.findings = findings;
    }

    public Boolean getFindingsTruncated() {
        return findingsTruncated;
    }

    public void setFindingsTruncated(Boolean findingsTruncated) {
        this.findingsTruncated = findingsTruncated;
    }
}
