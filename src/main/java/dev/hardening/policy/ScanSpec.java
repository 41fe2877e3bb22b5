package dev.hardening.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Size;
import dev.hardening.rules.Severity;

import java.util.List;

/** {@code spec.scan}: what the rules image-vulnerabilities and image-scanned accept. Unset fields keep their defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = SchemaPatch.class, input = "{\"properties\":{\"maxAge\":{\"maxLength\":32}}}")
public class ScanSpec {

    @JsonPropertyDescription("Lowest severity rule image-vulnerabilities reports: CRITICAL, HIGH, MEDIUM, LOW or "
            + "UNKNOWN (everything). Default CRITICAL.")
    private Severity severity;

    @JsonPropertyDescription("Leave out findings that have no fixed version yet. Default false.")
    private Boolean ignoreUnfixed;

    @JsonPropertyDescription("Oldest scan rule image-scanned accepts, as hours, minutes and seconds, e.g. 168h or "
            + "72h30m. Unset means any age.")
    private String maxAge;

    @Size(max = 200)
    @JsonPropertyDescription("Vulnerabilities let through by id, optionally only for some images, each with a reason "
            + "and an optional expiry.")
    private List<ScanIgnore> ignore;

    public Severity getSeverity() {
        return severity;
    }

    public void setSeverity(Severity severity) {
        this.severity = severity;
    }

    public Boolean getIgnoreUnfixed() {
        return ignoreUnfixed;
    }

    public void setIgnoreUnfixed(Boolean ignoreUnfixed) {
        this.ignoreUnfixed = ignoreUnfixed;
    }

    public String getMaxAge() {
        return maxAge;
    }

    public void setMaxAge(String maxAge) {
        this.maxAge = maxAge;
    }

    public List<ScanIgnore> getIgnore() {
        return ignore;
    }

    public void setIgnore(List<ScanIgnore> ignore) {
        this.ignore = ignore;
    }
}
