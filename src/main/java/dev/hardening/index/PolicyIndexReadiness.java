package dev.hardening.index;

import dev.hardening.engine.PolicyIndex;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the policy index reflects the cluster: an empty index must never pass for "no policy". */
@Readiness
@ApplicationScoped
public class PolicyIndexReadiness implements HealthCheck {

    private final PolicyIndex index;

    public PolicyIndexReadiness(PolicyIndex index) {
        this.index = index;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("policy-index").status(index.ready()).build();
    }
}
