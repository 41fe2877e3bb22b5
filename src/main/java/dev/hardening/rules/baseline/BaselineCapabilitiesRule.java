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
import java.util.Set;

/**
 * Upstream check {@code capabilities_baseline}: {@code capabilities.add} may only name capabilities of the container
 * runtime's default set. Names are compared exactly, as upstream does: {@code CAP_CHOWN} or {@code chown} are not allowed.
 */
public final class BaselineCapabilitiesRule extends AbstractRule {

    /** The upstream baseline set: Docker/containerd defaults minus NET_RAW. */
    static final Set<String> ALLOWED = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
            "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

    public BaselineCapabilitiesRule() {
        super(new RuleInfo("baseline-capabilities", Profile.Baseline,
                "Capabilities beyond the baseline set",
                "securityContext.capabilities.add may only contain AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL,"
                        + " MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID or SYS_CHROOT.",
                "Capabilities such as SYS_ADMIN, NET_ADMIN or NET_RAW give a container powers over the node's kernel and network.",
                "Remove every other capability from securityContext.capabilities.add; adding none at all is best.",
                new RuleExample("""
                        spec:
                          containers:
                            - name: vpn
                              image: registry.example.com/vpn:1.8.0
                              securityContext:
                                capabilities:
                                  add: ["NET_ADMIN", "SYS_ADMIN"]
                        """, """
                        spec:
                          containers:
                            - name: vpn
                              image: registry.example.com/vpn:1.8.0
                              securityContext:
                                capabilities:
                                  add: ["NET_BIND_SERVICE"]
                        """)).withPodSecurityChecks("capabilities_baseline"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerRef container : target.containers()) {
            SecurityContext context = container.securityContext();
            if (context.getCapabilities() == null || context.getCapabilities().getAdd() == null) {
                continue;
            }
            List<String> added = context.getCapabilities().getAdd();
            for (int i = 0; i < added.size(); i++) {
                String capability = added.get(i);
                if (capability == null || !ALLOWED.contains(capability)) {
                    String field = "securityContext.capabilities.add[" + i + "]";
                    violations.add(violation(container, field,
                            "adds capability \"" + capability + "\", which is not in the baseline set",
                            Fixes.remove(container.field(field)), new Autofix.RemoveItem(container.field(field))));
                }
            }
        }
        return violations;
    }
}
