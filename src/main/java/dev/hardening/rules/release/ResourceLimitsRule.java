package dev.hardening.rules.release;

import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** {@code resource-limits}: cpu and memory limits on every init and regular container. */
public final class ResourceLimitsRule extends ResourceRule {

    public ResourceLimitsRule() {
        super(new RuleInfo("resource-limits", Profile.Hardened, "CPU and memory limits",
                "Every init container (sidecars included) and regular container sets resources.limits.cpu and "
                        + "resources.limits.memory to a value above zero (a zero limit, in any spelling such as 0, "
                        + "0m or 0Mi, means no limit). Ephemeral containers cannot have resources and are exempt.",
                "Release checklist, resource limits: a container without limits can starve its node (DoS).",
                "Set resources.limits.cpu and resources.limits.memory on each container to non-zero values sized from measured use.",
                new RuleExample(Examples.app(""), Examples.app("""
                        resources:
                          limits:
                            cpu: "1"
                            memory: 1Gi
                        """))), "limits");
    }

    /** A zero limit is no limit at all: the kubelet sets no CFS quota and no memory cap for it. */
    @Override
    String problem(ResourceRequirements resources, String resource) {
        if (resources == null || !has(resources.getLimits(), resource)) {
            return "is not set";
        }
        return zero(resources.getLimits().get(resource)) ? "is 0, which means no limit" : null;
    }
}
