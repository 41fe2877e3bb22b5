package dev.hardening.engine;

import dev.hardening.policy.RuleMode;
import dev.hardening.rules.ScanLookup;
import dev.hardening.rules.Target;
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
    public static List<Finding> findings(Target target, Target oldTarget, boolean mirrorPod,
                                      List<CompiledPolicy> policies, Instant now) {
        return findings(target, oldTarget, mirrorPod, policies, now, ScanLookup.NONE);
    }

    /**
     * As {@link #findings(Target, Target, boolean, List, Instant)}, with the scans known. The old object is judged
     * with the same scans, so a finding published after admission is "already present" for an unchanged image:
     * the ratchet compares the digest, not what is known about it, and scaling or restarting keeps working.
     */
    public static List<Finding> findings(Target target, Target oldTarget, boolean mirrorPod,
                                      List<CompiledPolicy> policies, Instant now, ScanLookup scans) {
        List<Finding> findings = new ArrayList<>();
        for (CompiledPolicy policy : policies) {
            UpdateRatchet ratchet = oldTarget == null ? null : UpdateRatchet.of(oldTarget, enforced(oldTarget, policy, now, scans));
            for (PolicyViolation found : policy.evaluate(target, now, scans)) {
                findings.add(finding(policy, found, target, ratchet, mirrorPod));
            }
        }
        return findings;
    }

    /** What one violation leads to: its mode's outcome, an Enforce one downgraded for a mirror pod or when already present. */
    private static Finding finding(CompiledPolicy policy, PolicyViolation found, Target target, UpdateRatchet ratchet,
                                 boolean mirrorPod) {
        Violation violation = found.violation();
        RuleMode mode = found.mode();
        if (found.exempt()) {
            return new Finding(policy.ref(), violation, mode, FindingVerdict.EXEMPT, null, found.exemption().orElseThrow());
        }
        switch (mode) {
            case Warn:
                return new Finding(policy.ref(), violation, mode, FindingVerdict.WARN, null);
            case Audit:
                return new Finding(policy.ref(), violation, mode, FindingVerdict.AUDIT, null);
            default:
                if (mirrorPod) {
                    return new Finding(policy.ref(), violation, mode, FindingVerdict.WARN, Finding.Downgrade.MIRROR_POD);
                }
                if (ratchet != null && ratchet.alreadyPresent(violation, target)) {
                    return new Finding(policy.ref(), violation, mode, FindingVerdict.WARN, Finding.Downgrade.ALREADY_PRESENT);
                }
                return new Finding(policy.ref(), violation, mode, FindingVerdict.DENY, null);
        }
    }

    /** Violations of the old object under the policy, exemptions not applied: the ratchet asks "was it there?". */
    private static List<Violation> enforced(Target target, CompiledPolicy policy, Instant now, ScanLookup scans) {
        List<Violation> violations = new ArrayList<>();
        for (PolicyViolation found : policy.evaluate(target, now, scans)) {
            if (found.mode() == RuleMode.Enforce) {
                violations.add(found.violation());
            }
        }
        return violations;
    }
}
