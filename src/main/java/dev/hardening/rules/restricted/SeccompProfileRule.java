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
import dev.hardening.rules.baseline.ProfileTypes;
import dev.hardening.rules.Violation;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream check {@code seccompProfile_restricted} (v1.19+): every container runs under a RuntimeDefault or Localhost
 * profile, its own or the pod's. A container's profile overrides the pod's; a bad value is wrong wherever it is set,
 * even at pod level when every container overrides it. A container left unset under a bad pod-level profile is not
 * reported again: the pod-level violation names the fix for both. Windows pods are exempt (v1.25+).
 * <p>
 * Overlap: an explicit {@code Unconfined} (or empty type) is also a baseline {@code no-unconfined-seccomp} violation
 * at the same path. Both are kept because the rules belong to different profiles and a policy may relax either one;
 * this rule alone additionally requires a profile to be set.
 */
public final class SeccompProfileRule extends AbstractRule {

    private static final String FIELD_IN_CONTEXT = "seccompProfile.type";
    private static final String FIELD = "securityContext." + FIELD_IN_CONTEXT;

    public SeccompProfileRule() {
        super(new RuleInfo("seccomp-profile", Profile.Restricted,
                "Seccomp profile required",
                "A seccomp profile of type RuntimeDefault or Localhost must be set at pod level or in every container"
                        + " (init, sidecar, regular and ephemeral); a container's profile overrides the pod's. Windows pods are exempt."
                        + " An explicit Unconfined is reported by no-unconfined-seccomp as well.",
                "Without a seccomp filter every system call reaches the node's kernel, and runtimes do not apply their default filter unless asked.",
                "Set spec.securityContext.seccompProfile.type: RuntimeDefault at pod level, or in each container that lacks one.",
                new RuleExample("""
                        spec:
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
                        """)).withPodSecurityChecks("seccompProfile_restricted"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        if (target.windows()) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>();
        PodSecurityContext pod = target.podSecurityContext();
        SeccompProfile podProfile = pod.getSeccompProfile();
        String podPath = target.specField(FIELD);
        if (podProfile != null && !ProfileTypes.allowed(podProfile.getType())) {
            violations.add(podViolation(podPath, "pod " + ProfileTypes.notAllowed(FIELD_IN_CONTEXT, podProfile.getType()),
                    ProfileTypes.fix(podPath), autofix(podPath, podProfile)));
        }
        for (ContainerRef container : target.containers()) {
            SecurityContext context = container.securityContext();
            SeccompProfile profile = context.getSeccompProfile();
            String path = container.field(FIELD);
            if (profile != null && !ProfileTypes.allowed(profile.getType())) {
                violations.add(violation(container, FIELD, ProfileTypes.notAllowed(FIELD_IN_CONTEXT, profile.getType()),
                        ProfileTypes.fix(path), autofix(path, profile)));
            } else if (profile == null && podProfile == null) {
                violations.add(violation(container, FIELD, "seccompProfile is not set here nor at pod level",
                        Fixes.setOr(path, "RuntimeDefault", podPath),
                        // at pod level: one edit covers every container that leaves it unset
                        new Autofix.SetValue(podPath, "RuntimeDefault")));
            }
        }
        return violations;
    }

    /** RuntimeDefault, unless a localhostProfile is set: then Localhost may have been meant, a human decides. */
    private static Autofix autofix(String path, SeccompProfile profile) {
        return profile.getLocalhostProfile() == null ? new Autofix.SetValue(path, "RuntimeDefault") : null;
    }
}
