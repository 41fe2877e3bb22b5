package dev.hardening.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;

/** One entry of spec.rules: adds a rule to the profile's or overrides the mode of one it has. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = RuleIdEnum.class, input = "id")
public class RuleEntry {

    @Required
    @JsonPropertyDescription("Catalogue id of the rule, e.g. run-as-non-root. Listing a rule the profile lacks adds it.")
    private String id;

    @JsonPropertyDescription("What a violation of this rule leads to: Enforce (deny), Warn (allow with a warning), "
            + "Audit (allow, record only) or Off (do not evaluate). Defaults to spec.mode.")
    private RuleMode mode;

    public RuleEntry() {
    }

    public RuleEntry(String id, RuleMode mode) {
        this.id = id;
        this.mode = mode;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public RuleMode getMode() {
        return mode;
    }

    public void setMode(RuleMode mode) {
        this.mode = mode;
    }
}
