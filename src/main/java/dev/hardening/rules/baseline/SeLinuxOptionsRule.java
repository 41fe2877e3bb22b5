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
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SecurityContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Upstream check {@code seLinuxOptions} (v1.31+ level): at pod level and in every container, the SELinux type is one
 * of the container types or empty, and user and role are empty. Each offending field is its own violation.
 */
public final class SeLinuxOptionsRule extends AbstractRule {

    static final Set<String> ALLOWED_TYPES = Set.of("container_t", "container_init_t", "container_kvm_t", "container_engine_t");

    private static final String FIELD = "securityContext.seLinuxOptions";

    public SeLinuxOptionsRule() {
        super(new RuleInfo("selinux-options", Profile.Baseline,
                "SELinux options",
                "seLinuxOptions.type, at pod level and in every container, may only be container_t, container_init_t,"
                        + " container_kvm_t or container_engine_t; seLinuxOptions.user and seLinuxOptions.role must be empty.",
                "A custom SELinux type, user or role can lift the confinement that keeps a container away from the node.",
                "Remove seLinuxOptions.user and seLinuxOptions.role, and set seLinuxOptions.type to container_t or remove it.",
                new RuleExample("""
                        spec:
                          securityContext:
                            seLinuxOptions:
                              type: spc_t
                              user: system_u
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                        """, """
                        spec:
                          securityContext:
                            seLinuxOptions:
                              level: "s0:c123,c456"
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                        """)).withPodSecurityChecks("seLinuxOptions"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        PodSecurityContext podContext = target.podSecurityContext();
        if (podContext.getSeLinuxOptions() != null) {
            for (Problem problem : problems(podContext.getSeLinuxOptions())) {
                String path = target.specField(FIELD + "." + problem.field());
                violations.add(podViolation(path, "pod " + problem.message(), problem.fix(path)));
            }
        }
        for (ContainerRef container : target.containers()) {
            SecurityContext context = container.securityContext();
            if (context.getSeLinuxOptions() == null) {
                continue;
            }
            for (Problem problem : problems(context.getSeLinuxOptions())) {
                String field = FIELD + "." + problem.field();
                violations.add(violation(container, field, problem.message(), problem.fix(container.field(field))));
            }
        }
        return violations;
    }

    private static List<Problem> problems(SELinuxOptions options) {
        List<Problem> problems = new ArrayList<>(3);
        String type = options.getType();
        if (type != null && !type.isEmpty() && !ALLOWED_TYPES.contains(type)) {
            problems.add(new Problem("type", "sets SELinux type \"" + type + "\""));
        }
        if (options.getUser() != null && !options.getUser().isEmpty()) {
            problems.add(new Problem("user", "sets SELinux user \"" + options.getUser() + "\""));
        }
        if (options.getRole() != null && !options.getRole().isEmpty()) {
            problems.add(new Problem("role", "sets SELinux role \"" + options.getRole() + "\""));
        }
        return problems;
    }

    /** One offending field of seLinuxOptions: {@code type}, {@code user} or {@code role}. */
    private record Problem(String field, String message) {
        /** A type may be replaced by the usual one; a user or role has no allowed value but empty. */
        String fix(String path) {
            return "type".equals(field) ? Fixes.setOrRemove(path, "container_t") : Fixes.remove(path);
        }
    }
}
