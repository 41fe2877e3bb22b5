package dev.hardening.engine;

import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.PolicyRef;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Target;
import dev.hardening.rules.ScanLookup;
import dev.hardening.rules.Violation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A HardeningPolicy prepared once, when it changes, so that admission does no per-request work beyond running rules.
 * Immutable and shared by concurrent requests.
 *
 * @param generation metadata.generation of the policy it was compiled from
 * @param rules      the rules to evaluate (never mode Off), in catalogue order
 */
public record CompiledPolicy(PolicyRef ref, long generation, List<EffectiveRule> rules, RuleSettings settings,
                             List<CompiledExemption> exemptions) {

    public CompiledPolicy {
        rules = List.copyOf(rules);
        exemptions = List.copyOf(exemptions);
    }

    /**
     * Every violation of the policy's rules in {@code target}, in catalogue order, each with its mode and the
     * exemption unexpired at {@code now} that covers it. The single evaluation loop of the house. Only the rules that
     * judge the target's type run: a Service meets the network rules only.
     */
    public List<PolicyViolation> evaluate(Target target, Instant now) {
        return evaluate(target, now, ScanLookup.NONE);
    }

    /** As {@link #evaluate(Target, Instant)}, with the scans known: what the scan rules read. */
    public List<PolicyViolation> evaluate(Target target, Instant now, ScanLookup scans) {
        List<PolicyViolation> found = new ArrayList<>();
        Target.Type type = target.type();
        RuleSettings current = settings.at(now, scans);
        for (EffectiveRule effective : rules) {
            if (effective.rule().judges() != type) {
                continue;
            }
            for (Violation violation : target.violationsOf(effective.rule(), current)) {
                found.add(new PolicyViolation(violation, effective.mode(), exemptionFor(violation, target.objectName(), now)));
            }
        }
        return found;
    }

    /** Whether some rule of the policy reads scans: its audit is redone when they change. */
    public boolean readsScans() {
        for (EffectiveRule effective : rules) {
            if (effective.rule().readsScans()) {
                return true;
            }
        }
        return false;
    }

    /** Whether some rule of the policy judges targets of {@code type}: the audit lists NetworkPolicies only then. */
    public boolean judges(Target.Type type) {
        for (EffectiveRule effective : rules) {
            if (effective.rule().judges() == type) {
                return true;
            }
        }
        return false;
    }

    /** The first unexpired exemption that covers {@code violation}, found in the object named {@code objectName}. */
    public Optional<CompiledExemption> exemptionFor(Violation violation, String objectName, Instant now) {
        for (CompiledExemption exemption : exemptions) {
            if (exemption.covers(violation, objectName, now)) {
                return Optional.of(exemption);
            }
        }
        return Optional.empty();
    }
}
