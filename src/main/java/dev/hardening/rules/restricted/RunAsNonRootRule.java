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
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream checks {@code runAsNonRoot} and {@code runAsUser} as Kubernetes 1.34 enforces them by default.
 * <ul>
 * <li>runAsNonRoot: an explicit {@code false} is wrong wherever it is set (pod or container); a container that leaves
 * it unset is covered only by a pod-level {@code true}. A container's own {@code true} wins over the pod's value.</li>
 * <li>runAsUser: an explicit {@code 0} is wrong wherever it is set, even when every container overrides it.</li>
 * </ul>
 * Upstream stops at the explicit setters; this rule reports every problem, except that a container left unset under a
 * pod-level {@code false} is not reported again: the pod-level violation names the fix for both.
 * {@code hostUsers: false} does not relax anything: upstream relaxes only behind an off-by-default admission option.
 * Windows pods are not exempt (Windows enforces runAsNonRoot against ContainerAdministrator).
 */
public final class RunAsNonRootRule extends AbstractRule {

    private static final String NON_ROOT = "securityContext.runAsNonRoot";
    private static final String USER = "securityContext.runAsUser";

    public RunAsNonRootRule() {
        super(new RuleInfo("run-as-non-root", Profile.Restricted,
                "Run as non-root",
                "runAsNonRoot must be true at pod level or in every container (init, sidecar, regular and ephemeral),"
                        + " and must not be false anywhere; runAsUser must not be 0 at pod level or in any container.",
                "A process running as UID 0 that escapes its container is root on the node.",
                "Set securityContext.runAsNonRoot: true at pod level (or in every container), remove runAsNonRoot: false,"
                        + " and run as a non-zero UID (runAsUser or the image's USER).",
                new RuleExample("""
                        spec:
                          securityContext:
                            runAsUser: 0
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                        """, """
                        spec:
                          securityContext:
                            runAsNonRoot: true
                            runAsUser: 10001
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                        """)).withPodSecurityChecks("runAsNonRoot", "runAsUser"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        PodSecurityContext pod = target.podSecurityContext();
        Boolean podNonRoot = pod.getRunAsNonRoot();
        String podNonRootPath = target.specField(NON_ROOT);
        if (Boolean.FALSE.equals(podNonRoot)) {
            violations.add(podViolation(podNonRootPath, "pod sets runAsNonRoot to false", Fixes.set(podNonRootPath, "true"),
                    new Autofix.SetValue(podNonRootPath, true)));
        }
        if (isRoot(pod.getRunAsUser())) {
            String path = target.specField(USER);
            violations.add(podViolation(path, "pod sets runAsUser to 0 (root)", userFix(path)));
        }
        for (ContainerRef container : target.containers()) {
            SecurityContext context = container.securityContext();
            Boolean nonRoot = context.getRunAsNonRoot();
            String path = container.field(NON_ROOT);
            if (Boolean.FALSE.equals(nonRoot)) {
                violations.add(violation(container, NON_ROOT, "sets runAsNonRoot to false", Fixes.set(path, "true"),
                        new Autofix.SetValue(path, true)));
            } else if (nonRoot == null && podNonRoot == null) {
                violations.add(violation(container, NON_ROOT, "runAsNonRoot is not set here nor at pod level",
                        Fixes.setOr(path, "true", podNonRootPath),
                        // at pod level: one edit covers every container that leaves it unset
                        new Autofix.SetValue(podNonRootPath, true)));
            }
            if (isRoot(context.getRunAsUser())) {
                violations.add(violation(container, USER, "sets runAsUser to 0 (root)", userFix(container.field(USER))));
            }
        }
        return violations;
    }

    private static boolean isRoot(Long uid) {
        return uid != null && uid == 0L;
    }

    private static String userFix(String path) {
        return Fixes.set(path, "a non-zero UID, or remove it");
    }
}
