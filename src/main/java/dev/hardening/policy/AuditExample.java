package dev.hardening.policy;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Objects;

/** One violating object named in status.audit.examples. */
public class AuditExample {

    @JsonPropertyDescription("Kind of the violating object, e.g. Deployment.")
    private String kind;

    @JsonPropertyDescription("Name of the violating object.")
    private String name;

    @JsonPropertyDescription("Id of a rule it violates.")
    private String rule;

    public AuditExample() {
    }

    public AuditExample(String kind, String name, String rule) {
        this.kind = kind;
        this.name = name;
        this.rule = rule;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getRule() {
        return rule;
    }

    public void setRule(String rule) {
        this.rule = rule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditExample e && Objects.equals(kind, e.kind) && Objects.equals(name, e.name)
                && Objects.equals(rule, e.rule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, rule);
    }

    @Override
    public String toString() {
        return kind + "/" + name + " " + rule;
    }
}
