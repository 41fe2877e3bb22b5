package dev.hardening.operator;

import dev.hardening.operator.audit.AuditOutcome;
import dev.hardening.operator.reports.ReportOutcome;
import dev.hardening.policy.AuditSummary;
import dev.hardening.policy.CompiledPolicy;
import dev.hardening.policy.EffectiveRuleStatus;
import dev.hardening.policy.ExemptionCounts;
import dev.hardening.policy.FieldError;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.HardeningPolicyStatus;
import dev.hardening.policy.PolicyCompiler;
import dev.hardening.policy.PolicyCondition;
import dev.hardening.policy.PolicyProfile;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Computes the whole status of a policy from its compilation, the last audit and the previous status. Pure, so
 * that every status a user can see is unit-tested; the reconciler only writes what this returns.
 */
public final class PolicyStatusComputer {

    public static final String REASON_ACTIVE = "Active";
    public static final String REASON_INVALID = "InvalidSpec";
    public static final String REASON_AUDIT_COMPLETE = "Complete";

    private PolicyStatusComputer() {
    }

    /**
     * @param audit the audit just run, or {@code null} when none ran (invalid spec). Only a completed audit's summary
     *              is shown: after a failed one {@code status.audit} is left out and {@code Audited} is False, so that
     *              {@code kubectl get hp} never shows old figures as current.
     */
    public static HardeningPolicyStatus compute(HardeningPolicy policy, PolicyCompiler.Compilation compilation,
                                                AuditOutcome audit, Instant now) {
        return compute(policy, compilation, audit, null, now);
    }

    /**
     * @param reports how the reports of this audit were written, or {@code null} when reports are off or no audit
     *                ran: the {@code Reported} condition is then left out
     */
    public static HardeningPolicyStatus compute(HardeningPolicy policy, PolicyCompiler.Compilation compilation,
                                                AuditOutcome audit, ReportOutcome reports, Instant now) {
        return compute(policy, compilation, audit, reports, null, now);
    }

    /**
     * @param vulnerabilityReports whether Trivy Operator's VulnerabilityReport CRD is served, for a policy whose rules
     *                             read scans; {@code null} otherwise, and the {@code VulnerabilityReports} condition is
     *                             then left out
     */
    public static HardeningPolicyStatus compute(HardeningPolicy policy, PolicyCompiler.Compilation compilation,
                                                AuditOutcome audit, ReportOutcome reports, Boolean vulnerabilityReports,
                                                Instant now) {
        HardeningPolicyStatus status = new HardeningPolicyStatus();
        long generation = policy.generation();
        status.setObservedGeneration(generation);
        PolicyCondition ready = compilation.valid()
                ? condition("True", REASON_ACTIVE, activeMessage(policy, compilation.policy(), now), generation)
                : condition("False", REASON_INVALID, "spec is invalid, nothing of it is enforced: "
                        + FieldError.join(compilation.errors()), generation);
        ready.setLastTransitionTime(transitionTime(previous(policy, PolicyCondition.READY), ready.getStatus(), now));
        PolicyCondition audited = audited(compilation.valid() ? audit : null, generation);
        audited.setLastTransitionTime(transitionTime(previous(policy, PolicyCondition.AUDITED), audited.getStatus(), now));
        List<PolicyCondition> conditions = new ArrayList<>(List.of(ready, audited));
        if (reports != null && compilation.valid()) {
            PolicyCondition reported = new PolicyCondition(PolicyCondition.REPORTED, reports.written() ? "True" : "False",
                    generation, null, reports.reason(), reports.message());
            reported.setLastTransitionTime(transitionTime(previous(policy, PolicyCondition.REPORTED), reported.getStatus(), now));
            conditions.add(reported);
        }
        if (vulnerabilityReports != null && compilation.valid()) {
            PolicyCondition served = vulnerabilityReports
                    ? new PolicyCondition(PolicyCondition.VULNERABILITY_REPORTS, "True", generation, null, "Watched",
                    "Trivy Operator's VulnerabilityReports are read with the ImageScans")
                    : new PolicyCondition(PolicyCondition.VULNERABILITY_REPORTS, "False", generation, null, "CrdNotInstalled",
                    "the VulnerabilityReport CRD (aquasecurity.github.io/v1alpha1) is not installed: only ImageScans are read");
            served.setLastTransitionTime(transitionTime(previous(policy, PolicyCondition.VULNERABILITY_REPORTS),
                    served.getStatus(), now));
            conditions.add(served);
        }
        status.setConditions(conditions);
        if (compilation.valid()) {
            CompiledPolicy compiled = compilation.policy();
            status.setEffectiveRules(compiled.rules().stream()
                    .map(r -> new EffectiveRuleStatus(r.rule().id(), r.mode().name())).toList());
            status.setExemptions(exemptionCounts(compiled, now));
            status.setAudit(audit instanceof AuditOutcome.Completed done ? done.summary() : null);
        } else {
            status.setEffectiveRules(List.of());
        }
        return status;
    }

    static ExemptionCounts exemptionCounts(CompiledPolicy compiled, Instant now) {
        int expired = (int) compiled.exemptions().stream().filter(e -> e.expiredAt(now)).count();
        return new ExemptionCounts(compiled.exemptions().size() - expired, expired);
    }

    private static String activeMessage(HardeningPolicy policy, CompiledPolicy compiled, Instant now) {
        PolicyProfile profile = policy.getSpec() == null || policy.getSpec().getProfile() == null
                ? PolicyProfile.Hardened : policy.getSpec().getProfile();
        StringBuilder message = new StringBuilder("evaluating ").append(compiled.rules().size())
                .append(compiled.rules().size() == 1 ? " rule" : " rules").append(" (profile ").append(profile).append(')');
        ExemptionCounts counts = exemptionCounts(compiled, now);
        if (counts.getActive() + counts.getExpired() > 0) {
            message.append("; ").append(counts.getActive()).append(" exemptions active, ")
                    .append(counts.getExpired()).append(" expired");
        }
        return message.toString();
    }

    /** Kept from the previous condition unless the status changes, as Kubernetes conditions require. */
    static String transitionTime(Optional<PolicyCondition> previous, String status, Instant now) {
        if (previous.isPresent() && status.equals(previous.get().getStatus())
                && previous.get().getLastTransitionTime() != null) {
            return previous.get().getLastTransitionTime();
        }
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static PolicyCondition audited(AuditOutcome audit, long generation) {
        if (audit instanceof AuditOutcome.Completed done) {
            AuditSummary summary = done.summary();
            return new PolicyCondition(PolicyCondition.AUDITED, "True", generation, null, REASON_AUDIT_COMPLETE,
                    summary.getObjectsChecked() + (summary.getObjectsChecked() == 1 ? " object" : " objects")
                            + " checked, " + summary.getObjectsViolating() + " violating");
        }
        if (audit instanceof AuditOutcome.Failed failed) {
            return new PolicyCondition(PolicyCondition.AUDITED, "False", generation, null, failed.reason(),
                    "audit failed, no figure is current: " + failed.message());
        }
        return new PolicyCondition(PolicyCondition.AUDITED, "False", generation, null, REASON_INVALID,
                "not audited: the spec is invalid");
    }

    private static Optional<PolicyCondition> previous(HardeningPolicy policy, String type) {
        return policy.getStatus() == null ? Optional.empty() : policy.getStatus().condition(type);
    }

    private static PolicyCondition condition(String status, String reason, String message, long generation) {
        return new PolicyCondition(PolicyCondition.READY, status, generation, null, reason, message);
    }

    /** Violating-object count of a status, or -1 when it has no audit. */
    public static int violations(HardeningPolicyStatus status) {
        return status == null || status.getAudit() == null ? -1 : status.getAudit().getObjectsViolating();
    }
}
