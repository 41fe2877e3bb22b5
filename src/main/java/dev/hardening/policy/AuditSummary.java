package dev.hardening.policy;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the background audit found among existing workloads, bounded by design: counts and at most
 * {@link #MAX_EXAMPLES} examples, never one entry per object.
 */
public class AuditSummary {

    public static final int MAX_EXAMPLES = 10;

    @JsonPropertyDescription("Pods and pod-template workloads evaluated.")
    private int objectsChecked;

    @JsonPropertyDescription("Objects with at least one unexempted violation in any mode.")
    private int objectsViolating;

    @JsonPropertyDescription("Violating objects per rule id.")
    private Map<String, Integer> violationsByRule = new TreeMap<>();

    @JsonPropertyDescription("Up to 10 violating objects with one rule each.")
    private List<AuditExample> examples = new ArrayList<>();

    @JsonPropertyDescription("When the audit ran, RFC 3339.")
    private String lastAuditTime;

    public int getObjectsChecked() {
        return objectsChecked;
    }

    public void setObjectsChecked(int objectsChecked) {
        this.objectsChecked = objectsChecked;
    }

    public int getObjectsViolating() {
        return objectsViolating;
    }

    public void setObjectsViolating(int objectsViolating) {
        this.objectsViolating = objectsViolating;
    }

    public Map<String, Integer> getViolationsByRule() {
        return violationsByRule;
    }

    public void setViolationsByRule(Map<String, Integer> violationsByRule) {
        this.violationsByRule = violationsByRule;
    }

    public List<AuditExample> getExamples() {
        return examples;
    }

    public void setExamples(List<AuditExample> examples) {
        this.examples = examples;
    }

    public String getLastAuditTime() {
        return lastAuditTime;
    }

    public void setLastAuditTime(String lastAuditTime) {
        this.lastAuditTime = lastAuditTime;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditSummary a && objectsChecked == a.objectsChecked
                && objectsViolating == a.objectsViolating && Objects.equals(violationsByRule, a.violationsByRule)
                && Objects.equals(examples, a.examples) && Objects.equals(lastAuditTime, a.lastAuditTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(objectsChecked, objectsViolating, violationsByRule, examples, lastAuditTime);
    }
}
