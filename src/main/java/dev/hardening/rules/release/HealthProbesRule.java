package dev.hardening.rules.release;

import dev.hardening.rules.AbstractRule;
import dev.hardening.rules.ContainerKind;
import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.Fixes;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;
import io.fabric8.kubernetes.api.model.Probe;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code health-probes}: liveness and readiness probes on the regular containers of long-running workloads.
 * Jobs, CronJobs and pods whose restartPolicy is not Always run to completion: exempt. Init, sidecar and
 * ephemeral containers are exempt too (the kubelet ignores readiness on them or they cannot have probes).
 */
public final class HealthProbesRule extends AbstractRule {

    public HealthProbesRule() {
        super(new RuleInfo("health-probes", Profile.Hardened, "Liveness and readiness probes",
                "Every regular container of a long-running workload defines livenessProbe and readinessProbe. "
                        + "Jobs, CronJobs, pods with restartPolicy other than Always, and init, sidecar and "
                        + "ephemeral containers are exempt.",
                "Release checklist, health checks: without probes a hung container keeps receiving traffic and is never restarted.",
                "Add a livenessProbe and a readinessProbe (httpGet, tcpSocket, grpc or exec) to each container, "
                        + "e.g. httpGet on the application's /health endpoint.",
                new RuleExample(Examples.app(""), Examples.app("""
                        livenessProbe:
                          httpGet:
                            path: /health
                            port: 3000
                        readinessProbe:
                          httpGet:
                            path: /ready
                            port: 3000
                        """))));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        if (!target.longRunning()) {
            return violations;
        }
        for (ContainerRef container : target.containers()) {
            if (container.kind() != ContainerKind.REGULAR) {
                continue;
            }
            missing(container, "livenessProbe", container.container().getLivenessProbe(), violations);
            missing(container, "readinessProbe", container.container().getReadinessProbe(), violations);
        }
        return violations;
    }

    private void missing(ContainerRef container, String probe, Probe value, List<Violation> violations) {
        if (value == null) {
            violations.add(violation(container, probe, container.field(probe) + " is not set",
                    Fixes.add("a " + probe + " (httpGet, tcpSocket, grpc or exec)", container.path())));
        }
    }
}
