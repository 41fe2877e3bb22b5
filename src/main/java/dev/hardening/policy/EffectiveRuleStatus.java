package dev.hardening.policy;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Objects;

/** A rule in effect, as reported in status.effectiveRules. */
public class EffectiveRuleStatus {

    @JsonPropertyDescription("Catalogue id of the rule.")
    private String id;

    @JsonPropertyDescription("Enforce, Warn or Audit.")
    private String mode;

    public EffectiveRuleStatus() {
    }

    public EffectiveRuleStatus(String id, String mode) {
        this.id = id;
        this.mode = mode;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EffectiveRuleStatus e && Objects.equals(id, e.id) && Objects.equals(mode, e.mode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, mode);
    }

    @Override
    public String toString() {
        return id + "=" + mode;
    }
}
