package dev.hardening.rules.restricted;

import dev.hardening.rules.AbstractRule;
import dev.hardening.rules.Autofix;
import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.Fixes;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;
import io.fabric8.kubernetes.api.model.SecurityContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream check {@code allowPrivilegeEscalation}: every container sets it to false explicitly, because unset means
 * the runtime allows setuid binaries to gain privileges. Windows pods are exempt (v1.25+): the field is Linux-only.
 */
public final class NoPrivilegeEscalationRule extends AbstractRule {

    private static final String FIELD = "securityContext.allowPrivilegeEscalation";

    public NoPrivilegeEscalationRule() {
        super(new RuleInfo("no-privilege-escalation", Profile.Restricted,
                "Privilege escalation",
                "Every container (init, sidecar, regular and ephemeral) must set securityContext.allowPrivilegeEscalation"
                        + " to false explicitly. Windows pods are exempt.",
                "Unless it is switched off, a setuid binary or file capability inside the container can gain more privileges than its parent process.",
                "Set securityContext.allowPrivilegeEscalation: false in every container.",
                new RuleExample("""
                        spec:
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                        """, """
                        spec:
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                              securityContext:
                                allowPrivilegeEscalation: false
                        """)).withPodSecurityChecks("allowPrivilegeEscalation"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        if (target.windows()) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>();
        for (ContainerRef container : target.containers()) {
            SecurityContext context = container.securityContext();
            Boolean allowed = context.getAllowPrivilegeEscalation();
            if (!Boolean.FALSE.equals(allowed)) {
                violations.add(violation(container, FIELD,
                        allowed == null ? "allowPrivilegeEscalation is not set (unset allows escalation)"
                                : "sets allowPrivilegeEscalation to true",
                        Fixes.set(container.field(FIELD), "false"), new Autofix.SetValue(container.field(FIELD), false)));
            }
        }
        return violations;
    }
}
