package dev.hardening.rules.restricted;

import dev.hardening.rules.Rule;

import java.util.List;

/** The restricted rules, in documentation order. */
public final class RestrictedRules {

    public static final List<Rule> ALL = List.of();

    private RestrictedRules() {
    }
}
