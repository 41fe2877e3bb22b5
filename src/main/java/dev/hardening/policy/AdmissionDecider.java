package dev.hardening.policy;

import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Violation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges one object against the policies of its namespace: each policy on its own, every violation kept. Shared by
 * admission and the offline CLI (which judges a file as a CREATE), so both reach the same verdict.
 * Pure: the same inputs give the same findings, whatever the request's dryRun.
 */
public final class AdmissionDecider {

    private AdmissionDecider() {
    }

    /**
     * @param oldTarget the object before an UPDATE ({@code null} for CREATE): violations it already had do not deny
     * @param mirrorPod a kubelet mirror pod, which is never denied
     */
    public static List<Finding> judge(PodTarget target, PodTarget oldTarget, boolean mirrorPod,
                                      List<CompiledPolicy> policies, Instant now) {
        List<Finding> findings = new ArrayList<>();
        for (CompiledPolicy policy : policies) {
            UpdateRatchet ratchet = oldTarget == null ? null : UpdateRatchet.of(oldTarget, enforced(oldTarget, policy, now));
            for (PolicyViolation found : policy.evaluate(target, now)) {
                findings.add(judge(policy, found, ratchet, mirrorPod));
            }
        }
        return findings;
    }

    private static Finding judge(CompiledPolicy policy, PolicyViolation found, UpdateRatchet ratchet, boolean mirrorPod) {
        Violation violation = found.violation();
        RuleMode mode = found.mode();
        if (found.exempt()) {
            return new Finding(policy.ref(), violation, mode, Outcome.EXEMPT, null);
        }
        switch (mode) {
            case Warn:
                return new Finding(policy.ref(), violation, mode, Outcome.WARN, null);
            case Audit:
                return new Finding(policy.ref(), violation, mode, Outcome.AUDIT, null);
            default:
                if (mirrorPod) {
                    return new Finding(policy.ref(), violation, mode, Outcome.WARN, Finding.Downgrade.MIRROR_POD);
                }
                if (ratchet != null && ratchet.alreadyPresent(violation)) {
                    return new Finding(policy.ref(), violation, mode, Outcome.WARN, Finding.Downgrade.ALREADY_PRESENT);
                }
                return new Finding(policy.ref(), violation, mode, Outcome.DENY, null);
        }
    }

    /** Violations of the old object under the policy, exemptions not applied: the ratchet asks "was it there?". */
    private static List<Violation> enforced(PodTarget target, CompiledPolicy policy, Instant now) {
        List<Violation> violations = new ArrayList<>();
        for (PolicyViolation found : policy.evaluate(target, now)) {
            if (found.mode() == RuleMode.Enforce) {
                violations.add(found.violation());
            }
        }
        return violations;
    }
}
