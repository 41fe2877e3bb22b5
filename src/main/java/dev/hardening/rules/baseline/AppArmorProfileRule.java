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
import io.fabric8.kubernetes.api.model.AppArmorProfile;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Upstream check {@code appArmorProfile}: the {@code appArmorProfile.type} fields (pod and every container) and the
 * deprecated per-container annotations are checked independently; an allowed field does not excuse a forbidden
 * annotation nor the reverse. Like upstream, every annotation with the prefix counts, whether or not a container
 * of that name exists.
 */
public final class AppArmorProfileRule extends AbstractRule {

    static final String ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

    private static final String FIELD = "securityContext.appArmorProfile.type";

    public AppArmorProfileRule() {
        super(new RuleInfo("apparmor-profile", Profile.Baseline,
                "AppArmor profile",
                "An AppArmor profile set at pod level, in any container, or in a container.apparmor.security.beta.kubernetes.io"
                        + " annotation must be RuntimeDefault or Localhost (runtime/default or localhost/<name>), never Unconfined.",
                "Unconfined removes the AppArmor profile that limits what a compromised container can do on the node.",
                "Set securityContext.appArmorProfile.type to RuntimeDefault (or Localhost with a localhostProfile) or remove it,"
                        + " and drop legacy AppArmor annotations that are not runtime/default or localhost/<name>.",
                new RuleExample("""
                        spec:
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                              securityContext:
                                appArmorProfile:
                                  type: Unconfined
                        """, """
                        spec:
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                              securityContext:
                                appArmorProfile:
                                  type: RuntimeDefault
                        """)).withPodSecurityChecks("appArmorProfile"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        PodSecurityContext podContext = target.podSecurityContext();
        if (podContext.getAppArmorProfile() != null && !allowedType(podContext.getAppArmorProfile())) {
            String path = target.specField(FIELD);
            violations.add(podViolation(path, "pod " + problem(podContext.getAppArmorProfile()), ProfileTypes.fix(path)));
        }
        for (ContainerRef container : target.containers()) {
            SecurityContext context = container.securityContext();
            if (context.getAppArmorProfile() != null && !allowedType(context.getAppArmorProfile())) {
                violations.add(violation(container, FIELD, problem(context.getAppArmorProfile()),
                        ProfileTypes.fix(container.field(FIELD))));
            }
        }
        // Sorted so that the verdict lists annotations in the same order on every request.
        for (Map.Entry<String, String> annotation : new TreeMap<>(target.podAnnotations()).entrySet()) {
            String key = annotation.getKey();
            if (key.startsWith(ANNOTATION_PREFIX) && !allowedAnnotation(annotation.getValue())) {
                String path = target.metadataField("annotations[" + key + "]");
                violations.add(podViolation(path,
                        "annotation sets AppArmor profile \"" + annotation.getValue() + "\" for container \""
                                + key.substring(ANNOTATION_PREFIX.length()) + "\"",
                        Fixes.remove(path) + " (or set it to runtime/default)"));
            }
        }
        return violations;
    }

    private static boolean allowedType(AppArmorProfile profile) {
        return ProfileTypes.allowed(profile.getType());
    }

    private static boolean allowedAnnotation(String value) {
        return value == null || value.isEmpty() || "runtime/default".equals(value) || value.startsWith("localhost/");
    }

    private static String problem(AppArmorProfile profile) {
        return ProfileTypes.problem("AppArmor", "appArmorProfile.type", profile.getType());
    }
}
