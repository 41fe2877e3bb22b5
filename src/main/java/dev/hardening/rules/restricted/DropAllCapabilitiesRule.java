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
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.SecurityContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream check {@code capabilities_restricted} (v1.22+): every container drops ALL and adds nothing but
 * NET_BIND_SERVICE. Names are compared exactly, as upstream does ({@code all} or {@code CAP_NET_BIND_SERVICE} do not
 * count). Windows pods are exempt (v1.25+). A forbidden add is usually also a baseline-capabilities violation;
 * both are reported because the two rules belong to different profiles.
 */
public final class DropAllCapabilitiesRule extends AbstractRule {

    private static final String DROP = "securityContext.capabilities.drop";
    private static final String ADD = "securityContext.capabilities.add";

    public DropAllCapabilitiesRule() {
        super(new RuleInfo("drop-all-capabilities", Profile.Restricted,
                "Drop all capabilities",
                "Every container (init, sidecar, regular and ephemeral) must list ALL in securityContext.capabilities.drop"
                        + " and may add back only NET_BIND_SERVICE. Windows pods are exempt. An added capability outside the"
                        + " baseline set is reported by baseline-capabilities as well.",
                "The runtime's default capabilities (CHOWN, SETUID, NET_RAW and more) are rarely needed and widen what a compromised process can do.",
                "Set securityContext.capabilities.drop: [\"ALL\"] in every container and remove every added capability except NET_BIND_SERVICE.",
                new RuleExample("""
                        spec:
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                              securityContext:
                                capabilities:
                                  add: ["CHOWN"]
                        """, """
                        spec:
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                              securityContext:
                                capabilities:
                                  drop: ["ALL"]
                                  add: ["NET_BIND_SERVICE"]
                        """)).withPodSecurityChecks("capabilities_restricted"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        if (target.windows()) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>();
        for (ContainerRef container : target.containers()) {
            SecurityContext context = container.securityContext();
            Capabilities capabilities = context.getCapabilities();
            List<String> drop = capabilities == null ? null : capabilities.getDrop();
            if (drop == null || !drop.contains("ALL")) {
                violations.add(violation(container, DROP, "capabilities.drop does not contain ALL",
                        Fixes.add("ALL", container.field(DROP)), new Autofix.AddItem(container.field(DROP), "ALL")));
            }
            List<String> add = capabilities == null ? null : capabilities.getAdd();
            for (int i = 0; add != null && i < add.size(); i++) {
                if (!"NET_BIND_SERVICE".equals(add.get(i))) {
                    String field = ADD + "[" + i + "]";
                    violations.add(violation(container, field,
                            "adds capability \"" + add.get(i) + "\"; only NET_BIND_SERVICE may be added",
                            Fixes.remove(container.field(field)), new Autofix.RemoveItem(container.field(field))));
                }
            }
        }
        return violations;
    }
}
