package dev.hardening.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

import java.util.Objects;

/** A status condition in the Kubernetes metav1.Condition shape. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyCondition {

    public static final String READY = "Ready";
    /** Whether the last background audit listed and evaluated every covered object. */
    public static final String AUDITED = "Audited";
    /** Whether the last audit's policy reports (OpenReports) could be written; absent when reports are off. */
    public static final String REPORTED = "Reported";
    /** Whether Trivy Operator's VulnerabilityReports are read; only on a policy whose rules read scans. */
    public static final String VULNERABILITY_REPORTS = "VulnerabilityReports";

    @Required
    @JsonPropertyDescription("Condition type: Ready says whether the policy is in effect, Audited whether the last "
            + "background audit of existing workloads completed, Reported whether its policy reports were written, "
            + "VulnerabilityReports whether Trivy Operator's reports are read (policies with scan rules only).")
    private String type;

    @Required
    @JsonPropertyDescription("True, False or Unknown.")
    private String status;

    @JsonPropertyDescription("metadata.generation the condition was computed from.")
    private Long observedGeneration;

    @JsonPropertyDescription("When status last changed, RFC 3339.")
    private String lastTransitionTime;

    @JsonPropertyDescription("CamelCase cause. Ready: Active or InvalidSpec. Audited: Complete, InvalidSpec, "
            + "Forbidden, ListExpired, ApiUnavailable or ListFailed. Reported: Written, CrdNotInstalled or WriteFailed. VulnerabilityReports: Watched or CrdNotInstalled.")
    private String reason;

    @JsonPropertyDescription("Human-readable explanation.")
    private String message;

    public PolicyCondition() {
    }

    public PolicyCondition(String type, String status, Long observedGeneration, String lastTransitionTime,
                           String reason, String message) {
        this.type = type;
        this.status = status;
        this.observedGeneration = observedGeneration;
        this.lastTransitionTime = lastTransitionTime;
        this.reason = reason;
        this.message = message;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getLastTransitionTime() {
        return lastTransitionTime;
    }

    public void setLastTransitionTime(String lastTransitionTime) {
        this.lastTransitionTime = lastTransitionTime;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyCondition c && Objects.equals(type, c.type) && Objects.equals(status, c.status)
                && Objects.equals(observedGeneration, c.observedGeneration)
                && Objects.equals(lastTransitionTime, c.lastTransitionTime) && Objects.equals(reason, c.reason)
                && Objects.equals(message, c.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, status, observedGeneration, lastTransitionTime, reason, message);
    }

    @Override
    public String toString() {
        return type + "=" + status + " (" + reason + "): " + message;
    }
}
