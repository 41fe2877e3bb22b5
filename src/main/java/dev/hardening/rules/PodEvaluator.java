package dev.hardening.rules;

import java.util.ArrayList;
import java.util.List;

/** Runs a set of rules over one pod target and collects every violation. */
public final class PodEvaluator {

    private PodEvaluator() {
    }

    public static List<Violation> evaluate(PodTarget target, Iterable<Rule> rules, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        for (Rule rule : rules) {
            violations.addAll(rule.evaluate(target, settings));
        }
        return violations;
    }
}
