package dev.hardening.rules.restricted;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Upstream check {@code restrictedVolumes}: only volume sources that go through the API server's own objects or are
 * ephemeral are allowed. {@code image} volumes are allowed as upstream does since v1.33 (kubernetes#130394): they
 * expose no more than running the image would. Every other source, including ones this model does not know, is a
 * violation at {@code spec.volumes[i].<source>}. A volume without any source is allowed: the API server defaults it to
 * emptyDir before admission, and a manifest checked offline should get the same verdict. A hostPath volume is also a baseline {@code no-host-path} violation.
 */
public final class RestrictedVolumeTypesRule extends AbstractRule {

    private static final List<Function<Volume, Object>> ALLOWED = List.of(
            Volume::getConfigMap, Volume::getCsi, Volume::getDownwardAPI, Volume::getEmptyDir, Volume::getEphemeral,
            Volume::getImage, Volume::getPersistentVolumeClaim, Volume::getProjected, Volume::getSecret);

    /** The forbidden sources the model knows, by field name, so that a violation names the exact field. */
    private static final Map<String, Function<Volume, Object>> FORBIDDEN = new LinkedHashMap<>();

    static {
        FORBIDDEN.put("hostPath", Volume::getHostPath);
        FORBIDDEN.put("gcePersistentDisk", Volume::getGcePersistentDisk);
        FORBIDDEN.put("awsElasticBlockStore", Volume::getAwsElasticBlockStore);
        FORBIDDEN.put("gitRepo", Volume::getGitRepo);
        FORBIDDEN.put("nfs", Volume::getNfs);
        FORBIDDEN.put("iscsi", Volume::getIscsi);
        FORBIDDEN.put("glusterfs", Volume::getGlusterfs);
        FORBIDDEN.put("rbd", Volume::getRbd);
        FORBIDDEN.put("flexVolume", Volume::getFlexVolume);
        FORBIDDEN.put("cinder", Volume::getCinder);
        FORBIDDEN.put("cephfs", Volume::getCephfs);
        FORBIDDEN.put("flocker", Volume::getFlocker);
        FORBIDDEN.put("fc", Volume::getFc);
        FORBIDDEN.put("azureFile", Volume::getAzureFile);
        FORBIDDEN.put("vsphereVolume", Volume::getVsphereVolume);
        FORBIDDEN.put("quobyte", Volume::getQuobyte);
        FORBIDDEN.put("azureDisk", Volume::getAzureDisk);
        FORBIDDEN.put("photonPersistentDisk", Volume::getPhotonPersistentDisk);
        FORBIDDEN.put("portworxVolume", Volume::getPortworxVolume);
        FORBIDDEN.put("scaleIO", Volume::getScaleIO);
        FORBIDDEN.put("storageos", Volume::getStorageos);
    }

    public RestrictedVolumeTypesRule() {
        super(new RuleInfo("restricted-volume-types", Profile.Restricted,
                "Restricted volume types",
                "Every volume must be one of configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim,"
                        + " projected or secret. A hostPath volume is reported by no-host-path as well.",
                "Other volume sources (hostPath, nfs, iscsi, gitRepo, ...) reach node or network storage directly, bypassing PersistentVolume access control.",
                "Replace the volume with a persistentVolumeClaim (backed by a PersistentVolume the cluster admin defines) or another allowed type.",
                new RuleExample("""
                        spec:
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                          volumes:
                            - name: data
                              nfs:
                                server: nfs.example.com
                                path: /exports/data
                        """, """
                        spec:
                          containers:
                            - name: app
                              image: registry.example.com/app:1.4.2
                          volumes:
                            - name: data
                              persistentVolumeClaim:
                                claimName: data
                        """)).withPodSecurityChecks("restrictedVolumes"));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Volume> volumes = target.spec().getVolumes();
        if (volumes == null) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < volumes.size(); i++) {
            Volume volume = volumes.get(i);
            if (volume == null || ALLOWED.stream().anyMatch(source -> source.apply(volume) != null)) {
                continue;
            }
            String source = sourceOf(volume);
            if (source == null) {
                continue; // no source at all: the API server defaults it to emptyDir
            }
            String volumePath = target.specField("volumes[" + i + "]");
            violations.add(podViolation(volumePath + "." + source,
                    "volume \"" + volume.getName() + "\" uses restricted volume type \"" + source + "\"",
                    Fixes.replace(volumePath, "a persistentVolumeClaim, configMap, secret, emptyDir or another allowed type")));
        }
        return violations;
    }

    /** The field name of the volume's forbidden source, or null when it names none at all. */
    private static String sourceOf(Volume volume) {
        for (Map.Entry<String, Function<Volume, Object>> known : FORBIDDEN.entrySet()) {
            if (known.getValue().apply(volume) != null) {
                return known.getKey();
            }
        }
        // a source newer than this model arrives as an unknown property
        return volume.getAdditionalProperties().keySet().stream().filter(key -> !"name".equals(key)).findFirst().orElse(null);
    }
}
