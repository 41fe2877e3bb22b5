package dev.hardening.rules.baseline;

import dev.hardening.rules.Rule;

import java.util.List;

/**
 * The baseline rules, in documentation order: the upstream Pod Security Standards "baseline" level as Kubernetes 1.34
 * enforces it (k8s.io/pod-security-admission policy checks). None of them exempts Windows pods.
 */
public final class BaselineRules {

    public static final List<Rule> ALL = List.of(
            new NoPrivilegedRule(),
            new NoHostNamespacesRule(),
            new NoHostPathRule(),
            new NoHostPortsRule(),
            new NoHostProcessRule(),
            new BaselineCapabilitiesRule(),
            new NoUnconfinedSeccompRule(),
            new SafeSysctlsRule(),
            new DefaultProcMountRule(),
            new SeLinuxOptionsRule(),
            new AppArmorProfileRule(),
            new NoProbeHostRule());

    private BaselineRules() {
    }
}
