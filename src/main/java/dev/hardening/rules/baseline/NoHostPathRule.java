package dev.hardening.rules.baseline;

import dev.hardening.rules.AbstractRule;
import dev.hardening.rules.Fixes;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.ArrayList;
import java.util.List;

/** Upstream check {@code hostPathVolumes}: no volume may be a hostPath volume. */
public final class NoHostPathRule extends AbstractRule {

    public NoHostPathRule() {
        super(new RuleInfo("no-host-path", Profile.Baseline,
                "HostPath volumes",
                "No volume of the pod may be a hostPath volume.",
                "A hostPath volume exposes the node's file system: container runtime sockets, kubelet credentials, other pods' data.",
                "Replace the hostPath volume with an emptyDir, configMap, secret, projected or persistentVolumeClaim volume.",
                new RuleExample("""
                        spec:
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                              volumeMounts:
                                - name: cache
                                  mountPath: /var/cache/app
                          volumes:
                            - name: cache
                              hostPath:
                                path: /var/cache/app
                        """, """
                        spec:
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                              volumeMounts:
                                - name: cache
                                  mountPath: /var/cache/app
                          volumes:
                            - name: cache
                              emptyDir: {}
                        """)).withPodSecurityChecks("hostPathVolumes"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        List<Volume> volumes = target.spec().getVolumes();
        if (volumes == null) {
            return violations;
        }
        for (int i = 0; i < volumes.size(); i++) {
            Volume volume = volumes.get(i);
            if (volume != null && volume.getHostPath() != null) {
                String path = target.specField("volumes[" + i + "].hostPath");
                String hostPath = volume.getHostPath().getPath();
                violations.add(podViolation(path,
                        "volume \"" + volume.getName() + "\" mounts host path " + (hostPath == null ? "(unset)" : hostPath),
                        Fixes.replace(path, "an emptyDir, configMap, secret or persistentVolumeClaim volume")));
            }
        }
        return violations;
    }
}
