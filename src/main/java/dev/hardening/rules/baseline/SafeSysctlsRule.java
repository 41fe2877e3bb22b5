package dev.hardening.rules.baseline;

import dev.hardening.rules.AbstractRule;
import dev.hardening.rules.Fixes;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Upstream check {@code sysctls} at its v1.32+ level (the one Kubernetes 1.34 enforces): only the safe set. */
public final class SafeSysctlsRule extends AbstractRule {

    /** Namespaced and isolated from other pods on the node, as upstream lists them. */
    static final Set<String> SAFE = Set.of(
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports",
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes",
            "net.ipv4.tcp_rmem",
            "net.ipv4.tcp_wmem");

    public SafeSysctlsRule() {
        super(new RuleInfo("safe-sysctls", Profile.Baseline,
                "Unsafe sysctls",
                "spec.securityContext.sysctls may only name the Kubernetes safe sysctls: kernel.shm_rmid_forced,"
                        + " net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies,"
                        + " net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time,"
                        + " net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes,"
                        + " net.ipv4.tcp_rmem and net.ipv4.tcp_wmem.",
                "Other sysctls are not isolated per pod: they can weaken the node's kernel or starve its other pods.",
                "Remove every other sysctl from spec.securityContext.sysctls; tune the node itself if it really needs it.",
                new RuleExample("""
                        spec:
                          securityContext:
                            sysctls:
                              - name: kernel.msgmax
                                value: "65536"
                          containers:
                            - name: queue
                              image: registry.example.com/queue:5.1.0
                        """, """
                        spec:
                          securityContext:
                            sysctls:
                              - name: net.ipv4.ip_local_port_range
                                value: "1024 65000"
                          containers:
                            - name: queue
                              image: registry.example.com/queue:5.1.0
                        """)).withPodSecurityChecks("sysctls"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        PodSecurityContext context = target.podSecurityContext();
        if (context.getSysctls() == null) {
            return violations;
        }
        List<Sysctl> sysctls = context.getSysctls();
        for (int i = 0; i < sysctls.size(); i++) {
            String name = sysctls.get(i) == null ? null : sysctls.get(i).getName();
            if (name == null || !SAFE.contains(name)) {
                String path = target.specField("securityContext.sysctls[" + i + "].name");
                violations.add(podViolation(path, "sysctl \"" + name + "\" is not in the safe set",
                        Fixes.remove(target.specField("securityContext.sysctls[" + i + "]"))));
            }
        }
        return violations;
    }
}
