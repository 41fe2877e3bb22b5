package dev.hardening.rules.release;

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
 * {@code read-only-root-filesystem}: {@code securityContext.readOnlyRootFilesystem: true} on every container.
 * Windows pods are exempt: the API server forbids the field for {@code spec.os.name: windows}.
 */
public final class ReadOnlyRootFilesystemRule extends AbstractRule {

    private static final String FIELD = "securityContext.readOnlyRootFilesystem";

    public ReadOnlyRootFilesystemRule() {
        super(new RuleInfo("read-only-root-filesystem", Profile.Hardened, "Read-only root filesystem",
                "Every container, init, sidecar and ephemeral ones included, sets "
                        + "securityContext.readOnlyRootFilesystem: true. Windows pods are exempt.",
                "Release checklist, container runtime security: a writable root lets an intruder alter the image's binaries.",
                "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir volume on each path "
                        + "the container writes to (e.g. /tmp).",
                new RuleExample(Examples.app(""), Examples.app("""
                        securityContext:
                          readOnlyRootFilesystem: true
                        volumeMounts:
                        - name: tmp
                          mountPath: /tmp
                        """) + """
                          volumes:
                          - name: tmp
                            emptyDir: {}
                        """)));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        if (target.windows()) {
            return violations;
        }
        for (ContainerRef container : target.containers()) {
            SecurityContext context = container.securityContext();
            Boolean readOnly = context.getReadOnlyRootFilesystem();
            if (!Boolean.TRUE.equals(readOnly)) {
                String field = container.field(FIELD);
                violations.add(violation(container, FIELD,
                        field + (readOnly == null ? " is not set" : " is false"),
                        Fixes.set(field, "true and mount an emptyDir on each path the container writes"),
                        new Autofix.SetValue(field, true)));
            }
        }
        return violations;
    }
}
