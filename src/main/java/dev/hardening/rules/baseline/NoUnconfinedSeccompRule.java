package dev.hardening.rules.baseline;

import dev.hardening.rules.AbstractRule;
import dev.hardening.rules.Autofix;
import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream check {@code seccompProfile_baseline} (v1.19+): a seccomp profile that is set, at pod level or in any
 * container, must be RuntimeDefault or Localhost. Unset is allowed here (the restricted rule requires one). Since
 * v1.19 upstream reads only the fields, not the removed {@code seccomp.security.alpha.kubernetes.io} annotations.
 */
public final class NoUnconfinedSeccompRule extends AbstractRule {

    private static final String FIELD = "securityContext.seccompProfile.type";

    public NoUnconfinedSeccompRule() {
        super(new RuleInfo("no-unconfined-seccomp", Profile.Baseline,
                "Unconfined seccomp",
                "A seccomp profile set at pod level or in any container must be of type RuntimeDefault or Localhost, never Unconfined.",
                "Without a seccomp filter every system call reaches the node's kernel, including the rarely needed dangerous ones.",
                "Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a localhostProfile), or remove it.",
                new RuleExample("""
                        spec:
                          securityContext:
                            seccompProfile:
                              type: Unconfined
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                        """, """
                        spec:
                          securityContext:
                            seccompProfile:
                              type: RuntimeDefault
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                        """)).withPodSecurityChecks("seccompProfile_baseline"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        PodSecurityContext podContext = target.podSecurityContext();
        if (forbidden(podContext.getSeccompProfile())) {
            String path = target.specField(FIELD);
            violations.add(podViolation(path, "pod " + problem(podContext.getSeccompProfile()), ProfileTypes.fix(path),
                    autofix(path, podContext.getSeccompProfile())));
        }
        for (ContainerRef container : target.containers()) {
            SecurityContext context = container.securityContext();
            if (forbidden(context.getSeccompProfile())) {
                violations.add(violation(container, FIELD, problem(context.getSeccompProfile()),
                        ProfileTypes.fix(container.field(FIELD)), autofix(container.field(FIELD), context.getSeccompProfile())));
            }
        }
        return violations;
    }

    /** A profile that is present must name an allowed type; a present profile without a type is not allowed either. */
    private static boolean forbidden(SeccompProfile profile) {
        return profile != null && !ProfileTypes.allowed(profile.getType());
    }

    /** RuntimeDefault, unless a localhostProfile is set: then Localhost may have been meant, a human decides. */
    private static Autofix autofix(String path, SeccompProfile profile) {
        return profile.getLocalhostProfile() == null ? new Autofix.SetValue(path, "RuntimeDefault") : null;
    }

    private static String problem(SeccompProfile profile) {
        return ProfileTypes.problem("seccomp", "seccompProfile.type", profile.getType());
    }
}
