package dev.hardening.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.ArrayList;
import java.util.List;

/** One entry of spec.scan.ignore: a vulnerability let through, for a stated reason, optionally until a date. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@SchemaCustomizer(value = SchemaPatch.class,
        input = "{\"properties\":{\"expires\":{\"format\":\"date-time\"},\"images\":{\"items\":{\"maxLength\":512}}}}")
public class ScanIgnore {

    @Required
    @Size(min = 1, max = 128)
    @JsonPropertyDescription("The vulnerability id as the scanner reports it, e.g. CVE-2019-14697 or GHSA-xxxx-xxxx-xxxx.")
    private String id;

    @Size(max = 64)
    @JsonPropertyDescription("Image globs it covers (* any run of characters, ? one character), e.g. "
            + "registry.example.com/legacy/*; empty means every image.")
    private List<String> images = new ArrayList<>();

    @Required
    @Size(min = 1, max = 1024)
    @JsonPropertyDescription("Why the finding is accepted, e.g. not reachable from the app, ticket SEC-123; required.")
    private String reason;

    @JsonPropertyDescription("RFC 3339 date-time after which the finding counts again, e.g. 2027-01-31T00:00:00Z. "
            + "Unset means never.")
    private String expires;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public List<String> getImages() {
        return images;
    }

    public void setImages(List<String> images) {
        this.images = images;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getExpires() {
        return expires;
    }

    public void setExpires(String expires) {
        this.expires = expires;
    }
}
