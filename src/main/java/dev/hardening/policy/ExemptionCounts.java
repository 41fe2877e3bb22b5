package dev.hardening.policy;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Objects;

/** How many of the policy's exemptions still apply, in status.exemptions. */
public class ExemptionCounts {

    @JsonPropertyDescription("Exemptions that apply now.")
    private int active;

    @JsonPropertyDescription("Exemptions past their expires time; they no longer apply.")
    private int expired;

    public ExemptionCounts() {
    }

    public ExemptionCounts(int active, int expired) {
        this.active = active;
        this.expired = expired;
    }

    public int getActive() {
        return active;
    }

    public void setActive(int active) {
        this.active = active;
    }

    public int getExpired() {
        return expired;
    }

    public void setExpired(int expired) {
        this.expired = expired;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExemptionCounts e && active == e.active && expired == e.expired;
    }

    @Override
    public int hashCode() {
        return Objects.hash(active, expired);
    }
}
