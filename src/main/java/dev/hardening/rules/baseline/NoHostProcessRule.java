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
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream check {@code windowsHostProcess}: {@code windowsOptions.hostProcess} must not be true, neither at pod level
 * nor in any container. Each place that sets it is reported; a container's explicit false does not excuse the pod's true.
 */
public final class NoHostProcessRule extends AbstractRule {

    private static final String FIELD = "securityContext.windowsOptions.hostProcess";

    public NoHostProcessRule() {
        super(new RuleInfo("no-host-process", Profile.Baseline,
                "Windows HostProcess containers",
                "Neither the pod nor any container may set securityContext.windowsOptions.hostProcess to true.",
                "A Windows HostProcess container runs directly on the node with the node's privileges.",
                "Set securityContext.windowsOptions.hostProcess to false or remove it, at pod level and in every container.",
                new RuleExample("""
                        spec:
                          os:
                            name: windows
                          securityContext:
                            windowsOptions:
                              hostProcess: true
                          hostNetwork: true
                          containers:
                            - name: exporter
                              image: registry.example.com/windows-exporter:0.25.1
                        """, """
                        spec:
                          os:
                            name: windows
                          containers:
                            - name: exporter
                              image: registry.example.com/windows-exporter:0.25.1
                        """)).withPodSecurityChecks("windowsHostProcess"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        PodSecurityContext podContext = target.podSecurityContext();
        if (hostProcess(podContext.getWindowsOptions())) {
            String path = target.specField(FIELD);
            violations.add(podViolation(path, "pod runs as a Windows HostProcess (hostProcess is true)",
                    Fixes.setOrRemove(path, "false")));
        }
        for (ContainerRef container : target.containers()) {
            SecurityContext context = container.securityContext();
            if (hostProcess(context.getWindowsOptions())) {
                violations.add(violation(container, FIELD, "runs as a Windows HostProcess (hostProcess is true)",
                        Fixes.setOrRemove(container.field(FIELD), "false")));
            }
        }
        return violations;
    }

    private static boolean hostProcess(WindowsSecurityContextOptions options) {
        return options != null && Boolean.TRUE.equals(options.getHostProcess());
    }
}
