package dev.hardening.operator.reports;

import dev.hardening.testing.Workloads;
import dev.hardening.operator.audit.NamespaceAudit;
import dev.hardening.engine.PolicyCompiler;
import dev.hardening.testing.PolicyYaml;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportBodyTest {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final ReportBody.Owner OWNER = new ReportBody.Owner("hardening.dev/v1alpha1", "HardeningPolicy", "payments",
            "strict", "uid-1");

    static NamespaceAudit audit(String namespace, int maxResults, int badPods) {
        NamespaceAudit audit = new NamespaceAudit(PolicyCompiler.compile(PolicyYaml.policy("payments", "strict",
                "profile: Baseline\nmode: Enforce")).policy(), namespace, NOW, maxResults);
        for (int i = 0; i < badPods; i++) {
            audit.add(WorkloadKind.POD, Workloads.pod(namespace, "bad-" + i, true));
        }
        audit.add(WorkloadKind.POD, Workloads.pod(namespace, "good", false));
        return audit;
    }

    /** What the API server hands back: the same content parsed from JSON, with sorted keys and a resourceVersion. */
    static GenericKubernetesResource stored(GenericKubernetesResource written) {
        GenericKubernetesResource copy = Serialization.unmarshal(Serialization.asJson(written), GenericKubernetesResource.class);
        copy.getMetadata().setResourceVersion("42");
        copy.getMetadata().setUid("report-uid");
        return copy;
    }

    @Test
    void resultsAreCappedWhileTheSummaryStaysExact() {
        GenericKubernetesResource report = ReportBody.desired(ReportFormat.OPEN_REPORTS, OWNER, audit("payments", 3, 7), 3, NOW, null);
        assertThat(report.getMetadata().getName()).isEqualTo("hardening.payments.strict");
        assertThat(report.getAdditionalProperties().get("summary"))
                .isEqualTo(Map.of("pass", 1, "fail", 7, "warn", 0, "error", 0, "skip", 0));
        assertThat((List<?>) report.getAdditionalProperties().get("results")).hasSize(3);
        assertThat(report.getAdditionalProperties().get("configuration")).isEqualTo(Map.of("limits", Map.of("maxResults", 3)));
        assertThat(report.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
    }

    @Test
    void anUnchangedNamespaceComparesEqualAnHourLaterAndAChangedOneDoesNot() {
        GenericKubernetesResource existing = stored(ReportBody.desired(ReportFormat.OPEN_REPORTS, OWNER,
                audit("payments", 10, 2), 10, NOW, null));
        GenericKubernetesResource later = ReportBody.desired(ReportFormat.OPEN_REPORTS, OWNER, audit("payments", 10, 2), 10,
                NOW.plusSeconds(3600), existing);
        assertThat(ReportBody.same(later, existing)).as("timestamps of unchanged results are kept").isTrue();

        GenericKubernetesResource changed = ReportBody.desired(ReportFormat.OPEN_REPORTS, OWNER, audit("payments", 10, 3), 10,
                NOW.plusSeconds(3600), existing);
        assertThat(ReportBody.same(changed, existing)).isFalse();
        assertThat(ReportBody.same(later, null)).isFalse();
    }

    @Test
    void theClusterDefaultsReportsElsewhereHaveNoOwnerAndPolicyReportsNoOpenReportsFields() {
        GenericKubernetesResource elsewhere = ReportBody.desired(ReportFormat.POLICY_REPORT, OWNER, audit("team-a", 10, 1), 10, NOW, null);
        assertThat(elsewhere.getMetadata().getOwnerReferences()).as("a namespaced owner must share the namespace").isEmpty();
        assertThat(elsewhere.getMetadata().getAnnotations()).containsEntry("hardening.dev/policy", "payments/strict");
        assertThat(elsewhere.getApiVersion() + " " + elsewhere.getKind()).isEqualTo("wgpolicyk8s.io/v1alpha2 PolicyReport");
        assertThat(elsewhere.getAdditionalProperties()).doesNotContainKeys("source", "configuration");
    }
}
