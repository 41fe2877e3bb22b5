package dev.hardening.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One entry of spec.rules: adds a rule to the profile's or overrides the mode of one it has. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RuleEntry {

    @Required
    @JsonPropertyDescription("Catalogue id of the rule, e.g. run-as-non-root. Listing a rule the profile lacks adds it.")
    private RuleId id;

    @JsonPropertyDescription("What a violation of this rule leads to: Enforce (deny), Warn (allow with a warning), "
            + "Audit (allow, record only) or Off (do not evaluate). Defaults to spec.mode.")
    private RuleMode mode;

    public RuleEntry() {
    }

    public RuleEntry(RuleId id, RuleMode mode) {
        this.id = id;
        this.mode = mode;
    }

    public RuleId getId() {
        return id;
    }

    public void setId(RuleId id) {
        this.id = id;
    }

    public RuleMode getMode() {
        return mode;
    }

    public void setMode(RuleMode mode) {
        this.mode = mode;
    }
}
