package dev.hardening.rules.baseline;

import dev.hardening.rules.AbstractRule;
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
 * Upstream check {@code procMount}: unset or {@code Default}. Upstream relaxes it for user-namespaced pods
 * ({@code hostUsers: false}) only behind the alpha UserNamespacesPodSecurityStandards gate, off by default
 * in Kubernetes 1.34, so this rule does not relax it either.
 */
public final class DefaultProcMountRule extends AbstractRule {

    private static final String FIELD = "securityContext.procMount";

    public DefaultProcMountRule() {
        super(new RuleInfo("default-proc-mount", Profile.Baseline,
                "Default /proc mount",
                "No container may set securityContext.procMount to anything but Default.",
                "The default /proc mount masks kernel interfaces; Unmasked exposes them to the container.",
                "Set securityContext.procMount to Default or remove it.",
                new RuleExample("""
                        spec:
                          hostUsers: false
                          containers:
                            - name: builder
                              image: registry.example.com/builder:0.9.3
                              securityContext:
                                procMount: Unmasked
                        """, """
                        spec:
                          containers:
                            - name: builder
                              image: registry.example.com/builder:0.9.3
                              securityContext:
                                procMount: Default
                        """)).withPodSecurityChecks("procMount"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerRef container : target.containers()) {
            SecurityContext context = container.securityContext();
            if (context.getProcMount() != null && !"Default".equals(context.getProcMount())) {
                violations.add(violation(container, FIELD, "sets procMount \"" + context.getProcMount() + "\"",
                        Fixes.setOrRemove(container.field(FIELD), "Default")));
            }
        }
        return violations;
    }
}
