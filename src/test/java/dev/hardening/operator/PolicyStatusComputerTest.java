package dev.hardening.operator;

import dev.hardening.operator.audit.AuditOutcome;
import dev.hardening.policy.AuditSummary;
import dev.hardening.policy.EffectiveRuleStatus;
import dev.hardening.policy.ExemptionCounts;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.HardeningPolicyStatus;
import dev.hardening.policy.PolicyCompiler;
import dev.hardening.policy.PolicyCondition;
import dev.hardening.policy.PolicyYaml;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyStatusComputerTest {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private static HardeningPolicyStatus compute(HardeningPolicy policy, AuditSummary audit, Instant now) {
        return PolicyStatusComputer.compute(policy, PolicyCompiler.compile(policy),
                audit == null ? null : new AuditOutcome.Completed(audit), now);
    }

    private static HardeningPolicyStatus computeOutcome(HardeningPolicy policy, AuditOutcome audit, Instant now) {
        return PolicyStatusComputer.compute(policy, PolicyCompiler.compile(policy), audit, now);
    }

    private static AuditSummary summary(int checked, int violating) {
        AuditSummary summary = new AuditSummary();
        summary.setObjectsChecked(checked);
        summary.setObjectsViolating(violating);
        return summary;
    }

    @Test
    void validPolicyIsReadyWithItsRulesAndExemptionCounts() {
        HardeningPolicy policy = PolicyYaml.policy("payments", "p", """
                profile: None
                mode: Warn
                rules:
                - id: image-tag
                - id: resource-requests
                  mode: Enforce
                exemptions:
                - rules: [image-tag]
                  reason: old
                  expires: "2026-01-01T00:00:00Z"
                - rules: [image-tag]
                  reason: current
                """);
        policy.getMetadata().setGeneration(3L);
        AuditSummary audit = summary(1, 0);
        HardeningPolicyStatus status = compute(policy, audit, NOW);
        assertThat(status.getObservedGeneration()).isEqualTo(3);
        assertThat(status.getConditions()).containsExactly(new PolicyCondition("Ready", "True", 3L,
                "2026-11-28T12:00:00Z", "Active", "evaluating 2 rules (profile None); 1 exemptions active, 1 expired"),
                new PolicyCondition("Audited", "True", 3L, "2026-11-28T12:00:00Z", "Complete", "1 object checked, 0 violating"));
        assertThat(status.getEffectiveRules()).containsExactly(
                new EffectiveRuleStatus("image-tag", "Warn"), new EffectiveRuleStatus("resource-requests", "Enforce"));
        assertThat(status.getExemptions()).isEqualTo(new ExemptionCounts(1, 1));
        assertThat(status.getAudit()).isSameAs(audit);
    }

    @Test
    void invalidPolicyIsNotReadyAndSaysWhy() {
        HardeningPolicy policy = PolicyYaml.policy("payments", "p", """
                rules:
                - id: image-registry
                exemptions:
                - rules: [image-tag]
                  reason: r
                """);
        HardeningPolicyStatus status = compute(policy, null, NOW);
        PolicyCondition ready = status.getConditions().get(0);
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).isEqualTo("spec is invalid, nothing of it is enforced: "
                + "spec.registries: Required value: rule image-registry is in effect and needs allowed prefixes; "
                + "spec.exemptions[0].rules[0]: Invalid value: \"image-tag\": rule is not in effect in this policy");
        assertThat(status.getEffectiveRules()).isEmpty();
        assertThat(status.getAudit()).isNull();
        assertThat(status.condition("Audited")).contains(new PolicyCondition("Audited", "False", 1L,
                "2026-11-28T12:00:00Z", "InvalidSpec", "not audited: the spec is invalid"));
    }

    @Test
    void aFailedAuditShowsNoFiguresAndSaysWhySinceWhen() {
        HardeningPolicy policy = PolicyYaml.policy("payments", "p", "profile: Baseline");
        policy.setStatus(compute(policy, summary(40, 12), NOW));
        assertThat(PolicyStatusComputer.violations(policy.getStatus())).isEqualTo(12);

        AuditOutcome failed = new AuditOutcome.Failed("Forbidden", "cannot list cronjobs.batch in namespace payments: "
                + "cronjobs.batch is forbidden");
        HardeningPolicyStatus status = computeOutcome(policy, failed, NOW.plusSeconds(600));
        assertThat(status.getAudit()).as("the last figures are not shown as current").isNull();
        assertThat(PolicyStatusComputer.violations(status)).isEqualTo(-1);
        assertThat(status.condition("Ready").orElseThrow().getStatus()).as("admission is unaffected").isEqualTo("True");
        assertThat(status.condition("Audited")).contains(new PolicyCondition("Audited", "False", 1L,
                "2026-11-28T12:10:00Z", "Forbidden", "audit failed, no figure is current: cannot list cronjobs.batch "
                + "in namespace payments: cronjobs.batch is forbidden"));

        policy.setStatus(status);
        HardeningPolicyStatus again = computeOutcome(policy, failed, NOW.plusSeconds(1200));
        assertThat(again.condition("Audited").orElseThrow().getLastTransitionTime()).isEqualTo("2026-11-28T12:10:00Z");
        policy.setStatus(again);
        HardeningPolicyStatus recovered = compute(policy, summary(41, 12), NOW.plusSeconds(1800));
        assertThat(recovered.condition("Audited").orElseThrow().getStatus()).isEqualTo("True");
        assertThat(recovered.condition("Audited").orElseThrow().getLastTransitionTime()).isEqualTo("2026-11-28T12:30:00Z");
        assertThat(recovered.getAudit().getObjectsChecked()).isEqualTo(41);
    }

    @Test
    void lastTransitionTimeIsKeptUntilTheStatusChanges() {
        HardeningPolicy policy = PolicyYaml.policy("payments", "p", "profile: Baseline");
        policy.setStatus(compute(policy, null, NOW));
        HardeningPolicyStatus later = compute(policy, null, NOW.plusSeconds(600));
        assertThat(later.getConditions().get(0).getLastTransitionTime()).isEqualTo("2026-11-28T12:00:00Z");

        policy.setStatus(later);
        policy.getSpec().setRules(List.of(new dev.hardening.policy.RuleEntry("image-registry", null)));
        HardeningPolicyStatus broken = compute(policy, null, NOW.plusSeconds(1200));
        assertThat(broken.getConditions().get(0).getStatus()).isEqualTo("False");
        assertThat(broken.getConditions().get(0).getLastTransitionTime()).isEqualTo("2026-11-28T12:20:00Z");
    }

    @Test
    void eventMessagesSayHowTheCountMoved() {
        assertThat(PolicyEvents.message(-1, 3)).isEqualTo("3 existing objects violate this policy");
        assertThat(PolicyEvents.message(3, 1)).isEqualTo("1 existing object violates this policy (was 3)");
    }

    /** A missing Trivy Operator CRD is said on the policies that read scans, and changes nothing else. */
    @Test
    void aPolicyWithScanRulesSaysWhetherVulnerabilityReportsAreRead() {
        HardeningPolicy policy = PolicyYaml.policy("shop", "gate", """
                profile: None
                rules:
                - id: image-vulnerabilities
                """);
        var compilation = PolicyCompiler.compile(policy);
        var completed = new AuditOutcome.Completed(summary(1, 0));

        assertThat(PolicyStatusComputer.compute(policy, compilation, completed, null, false, NOW).getConditions())
                .filteredOn(c -> c.getType().equals("VulnerabilityReports")).singleElement().satisfies(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).isEqualTo("CrdNotInstalled");
                    assertThat(c.getMessage()).isEqualTo("the VulnerabilityReport CRD (aquasecurity.github.io/v1alpha1) "
                            + "is not installed: only ImageScans are read");
                });
        assertThat(PolicyStatusComputer.compute(policy, compilation, completed, null, true, NOW).getConditions())
                .filteredOn(c -> c.getType().equals("VulnerabilityReports")).singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("Watched"));
        assertThat(PolicyStatusComputer.compute(policy, compilation, completed, null, null, NOW).getConditions())
                .extracting(c -> c.getType()).containsExactly("Ready", "Audited");
    }
}
