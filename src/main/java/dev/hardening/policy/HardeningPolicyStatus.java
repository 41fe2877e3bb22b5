package dev.hardening.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the operator observed about a HardeningPolicy; written by the leader only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = SchemaPatch.class,
        input = "{\"properties\":{\"conditions\":{\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"type\"]}}}")
public class HardeningPolicyStatus {

    @JsonPropertyDescription("metadata.generation of the spec this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready is True when the policy is valid and in effect, False with reason InvalidSpec "
            + "and a message naming each bad field otherwise. Audited is True when the last background audit listed "
            + "and evaluated every covered object, False with the reason and the failed list otherwise.")
    private List<PolicyCondition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The rules evaluated, after applying profile, rules and Off, with their modes.")
    private List<EffectiveRuleStatus> effectiveRules = new ArrayList<>();

    @JsonPropertyDescription("How many exemptions apply and how many have expired.")
    private ExemptionCounts exemptions;

    @JsonPropertyDescription("Summary of the last background audit of existing workloads; absent while the last "
            + "audit failed (see the Audited condition), so that old figures never pass for current ones.")
    private AuditSummary audit;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<PolicyCondition> getConditions() {
        return conditions;
    }

    public void setConditions(List<PolicyCondition> conditions) {
        this.conditions = conditions;
    }

    public List<EffectiveRuleStatus> getEffectiveRules() {
        return effectiveRules;
    }

    public void setEffectiveRules(List<EffectiveRuleStatus> effectiveRules) {
        this.effectiveRules = effectiveRules;
    }

    public ExemptionCounts getExemptions() {
        return exemptions;
    }

    public void setExemptions(ExemptionCounts exemptions) {
        this.exemptions = exemptions;
    }

    public AuditSummary getAudit() {
        return audit;
    }

    public void setAudit(AuditSummary audit) {
        this.audit = audit;
    }

    public Optional<PolicyCondition> condition(String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
