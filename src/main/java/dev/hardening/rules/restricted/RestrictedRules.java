package dev.hardening.rules.restricted;

import dev.hardening.rules.Rule;

import java.util.List;

/**
 * The restricted rules, in documentation order: what the upstream Pod Security Standards "restricted" level adds to
 * baseline as Kubernetes 1.34 enforces it (k8s.io/pod-security-admission policy checks). The capability, privilege
 * escalation and seccomp rules exempt Windows pods, as upstream does since v1.25.
 */
public final class RestrictedRules {

    public static final List<Rule> ALL = List.of(
            new RunAsNonRootRule(),
            new NoPrivilegeEscalationRule(),
            new DropAllCapabilitiesRule(),
            new SeccompProfileRule(),
            new RestrictedVolumeTypesRule());

    private RestrictedRules() {
    }
}
