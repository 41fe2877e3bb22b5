package dev.hardening.index;

import dev.hardening.policy.ImageScan;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the scan informers keep per report: its name and resourceVersion, never its findings. A VulnerabilityReport
 * with 5,000 findings costs the store exactly what one with none costs; and what the store hands back names the same
 * object the handlers indexed, so that a relist's delete (after 410 Gone) removes the right scan.
 */
class VersionOnlyStoreTest {

    static final String DIGEST = "sha256:" + "a".repeat(64);

    /** A VulnerabilityReport in Trivy Operator's shape, as the API server sends it, with {@code findings} findings. */
    static GenericKubernetesResource report(String namespace, String name, String version, int findings) {
        List<Map<String, Object>> vulnerabilities = new ArrayList<>();
        for (int i = 0; i < findings; i++) {
            vulnerabilities.add(Map.of("vulnerabilityID", "CVE-2026-" + (10000 + i), "resource", "pkg" + i,
                    "installedVersion", "1.0." + i, "fixedVersion", "1.1." + i, "severity", "HIGH",
                    "title", "a vulnerability in pkg" + i + " that a scanner describes at some length"));
        }
        GenericKubernetesResource report = ScanIndex.emptyReport();
        report.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).withResourceVersion(version)
                .withUid("0b6f3b4e-1d2c-4c5e-9a7b-" + "0".repeat(12)).withLabels(Map.of("trivy-operator.resource.name", name))
                .build());
        report.setAdditionalProperty("report", Map.of("artifact", Map.of("repository", "shop/web", "digest", DIGEST),
                "summary", Map.of("highCount", findings), "vulnerabilities", vulnerabilities));
        return report;
    }

    private static String held(VersionOnlyStore<?> store) {
        return Serialization.asJson(store.values().toList());
    }

    @Test
    void aReportCostsTheStoreTheSameWithNoFindingsAndWithFiveThousand() {
        VersionOnlyStore<GenericKubernetesResource> none = new VersionOnlyStore<>(ScanIndex::emptyReport);
        VersionOnlyStore<GenericKubernetesResource> many = new VersionOnlyStore<>(ScanIndex::emptyReport);
        GenericKubernetesResource empty = report("shop", "replicaset-web-app", "41", 0);
        GenericKubernetesResource large = report("shop", "replicaset-web-app", "41", 5000);
        assertThat(Serialization.asJson(large)).hasSizeGreaterThan(1_000_000);

        none.put(none.getKey(empty), empty);
        many.put(many.getKey(large), large);

        assertThat(held(many)).isEqualTo(held(none)).doesNotContain("CVE-").doesNotContain("vulnerabilities")
                .isEqualTo("[{\"apiVersion\":\"aquasecurity.github.io/v1alpha1\",\"kind\":\"VulnerabilityReport\","
                        + "\"metadata\":{\"name\":\"replicaset-web-app\",\"namespace\":\"shop\",\"resourceVersion\":\"41\"}}]");
    }

    @Test
    void whatTheStoreHandsBackIsTheObjectTheHandlersIndexed() {
        VersionOnlyStore<GenericKubernetesResource> reports = new VersionOnlyStore<>(ScanIndex::emptyReport);
        GenericKubernetesResource report = report("shop", "replicaset-web-app", "41", 3);
        String key = reports.getKey(report);
        assertThat(reports.put(key, report)).isNull();

        GenericKubernetesResource back = reports.get(key);
        assertThat(reports.getKey(back)).isEqualTo(key).isEqualTo("shop/replicaset-web-app");
        assertThat(ScanIndex.key(back)).isEqualTo(ScanIndex.key(report));
        // the informer tells an update from a replay of the same version by the resourceVersion it gets back
        assertThat(reports.put(key, report("shop", "replicaset-web-app", "42", 4)).getMetadata().getResourceVersion())
                .isEqualTo("41");
        assertThat(reports.remove(key).getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(reports.size()).isZero();
        assertThat(reports.get(key)).isNull();

        VersionOnlyStore<ImageScan> scans = new VersionOnlyStore<>(ImageScan::new);
        ImageScan scan = new ImageScan();
        scan.getMetadata().setName("sha256-" + "a".repeat(64));
        scan.getMetadata().setResourceVersion("7");
        scans.put(scans.getKey(scan), scan);
        assertThat(scans.keySet()).containsExactly("sha256-" + "a".repeat(64));
        assertThat(ScanIndex.key(scans.values().findFirst().orElseThrow())).isEqualTo(ScanIndex.key(scan));
    }

    @Test
    void theInformerIsToldToHandTheListedObjectsToTheHandlersNotWhatItStores() {
        // with the full state, fabric8 would deliver the first list's adds from the store: without their findings
        assertThat(new VersionOnlyStore<>(ScanIndex::emptyReport).isFullState()).isFalse();
    }
}
