package dev.hardening.rules.network;

import dev.hardening.rules.AbstractRule;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.ServiceTarget;
import dev.hardening.rules.Target;
import dev.hardening.rules.Violation;

import java.util.List;

/** Base of the rules that judge a Service: they find nothing in a pod spec. */
abstract class ServiceRule extends AbstractRule {

    ServiceRule(RuleInfo info) {
        super(info);
    }

    @Override
    public final Target.Type judges() {
        return Target.Type.SERVICE;
    }

    @Override
    public final List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        return List.of();
    }

    @Override
    public abstract List<Violation> evaluate(ServiceTarget target, RuleSettings settings);

    /** A problem at {@code path}, the full path in the Service, e.g. {@code spec.externalIPs[0]}. */
    final Violation serviceViolation(String path, String message, String fix) {
        return podViolation(path, message, fix);
    }
}
