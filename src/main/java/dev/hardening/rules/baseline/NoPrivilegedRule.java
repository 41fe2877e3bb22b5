package dev.hardening.rules.baseline;

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

/** Upstream check {@code privileged}: no container may set {@code securityContext.privileged: true}. */
public final class NoPrivilegedRule extends AbstractRule {

    private static final String FIELD = "securityContext.privileged";

    public NoPrivilegedRule() {
        super(new RuleInfo("no-privileged", Profile.Baseline,
                "Privileged containers",
                "No container (init, sidecar, regular or ephemeral) may set securityContext.privileged to true.",
                "A privileged container has every device and capability of the node: escaping to the host is trivial.",
                "Set securityContext.privileged to false or remove it; grant only the specific capabilities the process needs.",
                new RuleExample("""
                        spec:
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                              securityContext:
                                privileged: true
                        """, """
                        spec:
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                              securityContext:
                                privileged: false
                        """)).withPodSecurityChecks("privileged"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerRef container : target.containers()) {
            SecurityContext context = container.securityContext();
            if (Boolean.TRUE.equals(context.getPrivileged())) {
                violations.add(violation(container, FIELD, "runs privileged (securityContext.privileged is true)",
                        Fixes.setOrRemove(container.field(FIELD), "false"),
                        new Autofix.SetValue(container.field(FIELD), false)));
            }
        }
        return violations;
    }
}
