package dev.hardening.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.ArrayList;
import java.util.List;

/** One entry of spec.exemptions: lets some violations through, for a stated reason, optionally until a date. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@SchemaCustomizer(value = SchemaPatch.class,
        input = "{\"properties\":{\"expires\":{\"format\":\"date-time\"},"
                + "\"names\":{\"items\":{\"maxLength\":253}},"
                + "\"containers\":{\"items\":{\"maxLength\":63}},\"images\":{\"items\":{\"maxLength\":512}}}}")
@SchemaCustomizer(value = RuleIdEnum.class, input = "rules")
@SchemaCustomizer(value = RuleCountLimit.class, input = "rules")
public class Exemption {

    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Rule ids this exemption covers; at least one.")
    private List<String> rules = new ArrayList<>();

    @Size(max = 64)
    @JsonPropertyDescription("Names of the objects it covers (metadata.name of the Service, Deployment, Pod...), "
            + "e.g. the ingress controller's Service; empty means every object.")
    private List<String> names = new ArrayList<>();

    @Size(max = 64)
    @JsonPropertyDescription("Container names it covers; empty means every container. An exemption with containers "
            + "or images never covers a pod-level violation (hostNetwork, volumes...).")
    private List<String> containers = new ArrayList<>();

    @Size(max = 64)
    @JsonPropertyDescription("Image globs it covers (* any run of characters, ? one character), e.g. "
            + "registry.example.com/legacy/*; empty means every image.")
    private List<String> images = new ArrayList<>();

    @Required
    @Size(min = 1, max = 1024)
    @JsonPropertyDescription("Why the exemption exists, e.g. a ticket; required, shown in status and audit.")
    private String reason;

    @JsonPropertyDescription("RFC 3339 date-time after which the exemption no longer applies, at admission and in the "
            + "audit, e.g. 2027-01-31T00:00:00Z. Unset means it never expires.")
    private String expires;

    public List<String> getRules() {
        return rules;
    }

    public void setRules(List<String> rules) {
        this.rules = rules;
    }

    public List<String> getNames() {
        return names;
    }

    public void setNames(List<String> names) {
        this.names = names;
    }

    public List<String> getContainers() {
        return containers;
    }

    public void setContainers(List<String> containers) {
        this.containers = containers;
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
