package dev.hardening.index;

import dev.hardening.engine.ImageScans;
import dev.hardening.policy.ImageScan;
import dev.hardening.rules.ScanFinding;
import dev.hardening.rules.ScanResult;
import dev.hardening.rules.Severity;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scan index fed by its informers on the CRUD mock API server: scans listed before the start and written after it
 * reach the index whole although the informers keep no report; a deleted one goes; Trivy Operator's CRD served only
 * after the start is picked up, and its reports then count; a scan deleted while the watch was gone (410) leaves on the
 * relist.
 */
@EnableKubernetesMockClient(crud = true)
class ScanIndexTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String OTHER = "sha256:" + "b".repeat(64);

    KubernetesClient client;
    KubernetesMockServer server;

    private ScanIndex index;

    @AfterEach
    void stop() {
        if (index != null) {
            index.close();
        }
    }

    private static ScanResult scan(String digest, String cve) {
        return new ScanResult(digest, "registry.example.com/app@" + digest, "test", true, "trivy", "0.74.0",
                Instant.parse("2026-12-04T23:17:11Z"), Map.of(Severity.CRITICAL, 1),
                List.of(new ScanFinding(cve, "musl", "1.1.20-r4", "1.1.20-r5", Severity.CRITICAL, "")), false);
    }

    private List<String> ids(String digest) {
        return index.scansOf(digest).stream().flatMap(s -> s.findings().stream()).map(ScanFinding::id).toList();
    }

    @Test
    void scansListedAndWatchedReachTheIndexWholeAndADeletedOneGoes() {
        client.resource(ImageScans.fromResult(scan(DIGEST, "CVE-2019-14697"))).create();
        index = new ScanIndex(client, false, 10);
        index.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> ids(DIGEST).equals(List.of("CVE-2019-14697")));
        client.resource(ImageScans.fromResult(scan(OTHER, "CVE-2026-0001"))).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> ids(OTHER).equals(List.of("CVE-2026-0001")));
        assertThat(index.digests()).isEqualTo(2);

        client.resource(ImageScans.fromResult(scan(DIGEST, "CVE-2019-14697"))).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> index.scansOf(DIGEST).isEmpty());
        assertThat(index.digests()).isEqualTo(1);
    }

    @Test
    void aFullIndexShowsInTheMetrics() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        index = new ScanIndex(client, false, 1);
        new ScanIndexMetrics(registry, index);
        index.start();
        client.resource(ImageScans.fromResult(scan(DIGEST, "CVE-2019-14697"))).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> index.digests() == 1);

        client.resource(ImageScans.fromResult(scan(OTHER, "CVE-2026-0001"))).create();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get("hardening.scan.digests.refused").functionCounter().count() == 1);
        assertThat(registry.get("hardening.scan.digests").gauge().value()).isEqualTo(1);
        assertThat(registry.get("hardening.scan.digests.limit").gauge().value()).isEqualTo(1);
        assertThat(index.scansOf(OTHER)).isEmpty();
    }

    @Test
    void theReportCrdInstalledAfterTheStartIsPickedUpAndItsReportsCount() {
        String discovery = "/apis/" + ScanIndex.REPORTS_GROUP_VERSION;
        server.expect().get().withPath(discovery).andReturn(404, "not found").times(2);
        server.expect().get().withPath(discovery).andReturn(200, new APIResourceListBuilder()
                .withGroupVersion(ScanIndex.REPORTS_GROUP_VERSION).withResources(new APIResourceBuilder()
                        .withName("vulnerabilityreports").withKind("VulnerabilityReport").withNamespaced(true)
                        .withVerbs("get", "list", "watch").build()).build()).always();
        server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("aquasecurity.github.io")
                .withVersion("v1alpha1").withKind("VulnerabilityReport").withPlural("vulnerabilityreports")
                .withScope("Namespaced").build());
        AtomicInteger changes = new AtomicInteger();
        index = new ScanIndex(client, false, 10);
        index.onChange(changes::incrementAndGet);
        index.start();
        assertThat(index.vulnerabilityReportsServed()).isFalse();

        await().atMost(Duration.ofSeconds(15)).until(index::vulnerabilityReportsServed);
        // the policies that read scans are told, so that their condition VulnerabilityReports changes
        assertThat(changes.get()).isPositive();
        GenericKubernetesResource report = VersionOnlyStoreTest.report("shop", "replicaset-web-app", null, 5000);
        client.genericKubernetesResources(ScanIndex.REPORTS_GROUP_VERSION, "VulnerabilityReport").inNamespace("shop")
                .resource(report).create();

        await().atMost(Duration.ofSeconds(10)).until(() -> !index.scansOf(VersionOnlyStoreTest.DIGEST).isEmpty());
        ScanResult held = index.scansOf(VersionOnlyStoreTest.DIGEST).get(0);
        assertThat(held.source()).isEqualTo("VulnerabilityReport shop/replicaset-web-app");
        assertThat(held.trusted()).isFalse();
        // the index holds what an ImageScan lists at most; the exact count stays
        assertThat(held.findings()).hasSize(200);
        assertThat(held.truncated()).isTrue();
        assertThat(held.count(Severity.HIGH)).isEqualTo(5000);
    }

    private static ImageScan imageScan(String digest, String version) {
        ImageScan scan = ImageScans.fromResult(scan(digest, "CVE-2019-14697"));
        scan.getMetadata().setResourceVersion(version);
        return scan;
    }

    private static KubernetesList list(String version, ImageScan... items) {
        KubernetesList list = new KubernetesList();
        list.setMetadata(new ListMetaBuilder().withResourceVersion(version).build());
        list.setItems(List.of(items));
        return list;
    }

    @Test
    void aScanDeletedWhileTheWatchWasGoneLeavesTheIndexOnTheRelist() {
        // the informer's store kept only the name of the scan that went: the relist's delete is all the index sees
        String path = "/apis/hardening.dev/v1alpha1/imagescans";
        server.expect().get().withPath(path + "?resourceVersion=0").andReturn(200, list("10", imageScan(DIGEST, "5"), imageScan(OTHER, "6"))).once();
        server.expect().get().withPath(path + "?allowWatchBookmarks=true&resourceVersion=10&timeoutSeconds=600&watch=true")
                .andUpgradeToWebSocket().open()
                .waitFor(1500).andEmit(new WatchEvent(new StatusBuilder().withCode(410).withReason("Expired")
                        .withMessage("too old resource version: 10 (20)").build(), "ERROR"))
                .done().once();
        // after 410 Gone the informer lists again, from the latest state
        server.expect().get().withPath(path).andReturn(200, list("20", imageScan(DIGEST, "5"))).always();
        server.expect().get().withPath(path + "?allowWatchBookmarks=true&resourceVersion=20&timeoutSeconds=600&watch=true")
                .andUpgradeToWebSocket().open().done().always();
        index = new ScanIndex(client, false, 10);
        index.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> index.digests() == 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> index.scansOf(OTHER).isEmpty());
        assertThat(index.scansOf(DIGEST)).singleElement().extracting(ScanResult::source).isEqualTo("ImageScan sha256-" + "a".repeat(64));
        assertThat(index.digests()).isEqualTo(1);
    }
}
