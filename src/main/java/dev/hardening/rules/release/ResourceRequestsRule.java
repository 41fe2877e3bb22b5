package dev.hardening.rules.release;

import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * {@code resource-requests}: cpu and memory requests on every init and regular container; opt-in.
 * A limit without a request counts: Kubernetes defaults the request to the limit.
 */
public final class ResourceRequestsRule extends ResourceRule {

    public ResourceRequestsRule() {
        super(new RuleInfo("resource-requests", Profile.None, "CPU and memory requests",
                "Every init container (sidecars included) and regular container sets resources.requests.cpu and "
                        + "resources.requests.memory; a limit alone counts, since Kubernetes defaults the request "
                        + "to it. Ephemeral containers cannot have resources and are exempt.",
                "Release checklist, resource limits (reservations): the scheduler places pods by their requests.",
                "Set resources.requests.cpu and resources.requests.memory on each container to its steady-state use.",
                new RuleExample(Examples.app(""), Examples.app("""
                        resources:
                          requests:
                            cpu: 500m
                            memory: 512Mi
                        """))), "requests");
    }

    @Override
    String problem(ResourceRequirements resources, String resource) {
        boolean set = resources != null && (has(resources.getRequests(), resource) || has(resources.getLimits(), resource));
        return set ? null : "is not set";
    }
}
