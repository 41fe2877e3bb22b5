package dev.hardening.rules.baseline;

import dev.hardening.rules.Rule;

import java.util.List;

/** The baseline rules, in documentation order. */
public final class BaselineRules {

    public static final List<Rule> ALL = List.of();

    private BaselineRules() {
    }
}
