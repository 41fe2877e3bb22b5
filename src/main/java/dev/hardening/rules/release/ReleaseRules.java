package dev.hardening.rules.release;

import dev.hardening.rules.Rule;

import java.util.List;

/** The release rules, in documentation order. */
public final class ReleaseRules {

    public static final List<Rule> ALL = List.of(
            new ImageDigestRule(),
            new ImageTagRule(),
            new ImageRegistryRule(),
            new ResourceLimitsRule(),
            new ResourceRequestsRule(),
            new ReadOnlyRootFilesystemRule(),
            new NoPlaintextSecretsRule(),
            new HealthProbesRule());

    private ReleaseRules() {
    }
}
