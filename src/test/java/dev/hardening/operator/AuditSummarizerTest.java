package dev.hardening.operator;

import dev.hardening.policy.AuditExample;
import dev.hardening.policy.AuditSummary;
import dev.hardening.policy.CompiledPolicy;
import dev.hardening.policy.PolicyCompiler;
import dev.hardening.policy.PolicyYaml;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.hardening.operator.AuditSummarizer.AuditedObject;
import static org.assertj.core.api.Assertions.assertThat;

class AuditSummarizerTest {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    static CompiledPolicy baseline(String extra) {
        return PolicyCompiler.compile(PolicyYaml.policy("payments", "p", "profile: Baseline\n" + extra)).policy();
    }

    @Test
    void countsViolatingObjectsPerRuleWithExamples() {
        List<AuditedObject> objects = List.of(
                new AuditedObject(WorkloadKind.POD, Workloads.pod("payments", "bad-pod", true)),
                new AuditedObject(WorkloadKind.POD, Workloads.pod("payments", "good-pod", false)),
                new AuditedObject(WorkloadKind.DEPLOYMENT, Workloads.deployment("payments", "bad-deploy", true)));
        AuditSummary summary = AuditSummarizer.summarize(objects, baseline(""), NOW, false);
        assertThat(summary.getObjectsChecked()).isEqualTo(3);
        assertThat(summary.getObjectsViolating()).isEqualTo(2);
        assertThat(summary.getViolationsByRule()).containsExactly(java.util.Map.entry("no-privileged", 2));
        assertThat(summary.getExamples()).containsExactly(
                new AuditExample("Pod", "bad-pod", "no-privileged"),
                new AuditExample("Deployment", "bad-deploy", "no-privileged"));
        assertThat(summary.getLastAuditTime()).isEqualTo("2026-11-28T12:00:00Z");
    }

    @Test
    void podsOfAuditedControllersAreNotCountedTwice() {
        List<AuditedObject> objects = List.of(
                new AuditedObject(WorkloadKind.POD, Workloads.ownedPod("payments", "web-abc", "ReplicaSet")),
                new AuditedObject(WorkloadKind.POD, Workloads.ownedPod("payments", "agent", "SomeOperatorKind")));
        AuditSummary summary = AuditSummarizer.summarize(objects, baseline(""), NOW, false);
        assertThat(summary.getObjectsChecked()).isEqualTo(1);
        assertThat(summary.getExamples()).extracting(AuditExample::getName).containsExactly("agent");
    }

    /** The same owner table as admission's trust: only an owner whose controller derives the object's kind. */
    @Test
    void onlyObjectsAnOwnersControllerDerivesAreLeftToTheOwner() {
        Pod ofJob = Workloads.pod("payments", "of-job", true);
        ofJob.getMetadata().getOwnerReferences().add(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withName("j").withUid("u2").withController(true).build());
        Pod claimsDeployment = Workloads.ownedPod("payments", "claims-deployment", "Deployment");
        Pod notController = Workloads.ownedPod("payments", "not-controller", "ReplicaSet");
        notController.getMetadata().getOwnerReferences().get(0).setController(false);
        Pod otherGroup = Workloads.ownedPod("payments", "other-group", "ReplicaSet");
        otherGroup.getMetadata().getOwnerReferences().get(0).setApiVersion("example.com/v1");
        List<AuditedObject> objects = List.of(new AuditedObject(WorkloadKind.POD, ofJob),
                new AuditedObject(WorkloadKind.POD, claimsDeployment), new AuditedObject(WorkloadKind.POD, notController),
                new AuditedObject(WorkloadKind.POD, otherGroup));

        AuditSummary summary = AuditSummarizer.summarize(objects, baseline(""), NOW, false);

        assertThat(summary.getExamples()).extracting(AuditExample::getName)
                .containsExactly("claims-deployment", "not-controller", "other-group");
    }

    @Test
    void examplesAreBoundedToTen() {
        List<AuditedObject> objects = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            objects.add(new AuditedObject(WorkloadKind.POD, Workloads.pod("payments", "bad-" + (100 + i), true)));
        }
        AuditSummary summary = AuditSummarizer.summarize(objects, baseline(""), NOW, false);
        assertThat(summary.getObjectsViolating()).isEqualTo(25);
        assertThat(summary.getExamples()).hasSize(AuditSummary.MAX_EXAMPLES);
        assertThat(summary.getExamples().get(0).getName()).isEqualTo("bad-100");
    }

    @Test
    void exemptionsApplyUntilTheyExpire() {
        CompiledPolicy policy = baseline("""
                exemptions:
                - rules: [no-privileged]
                  containers: [app]
                  reason: legacy
                  expires: "2026-11-28T12:00:00Z"
                """);
        List<AuditedObject> objects = List.of(new AuditedObject(WorkloadKind.POD, Workloads.pod("payments", "bad", true)));
        assertThat(AuditSummarizer.summarize(objects, policy, NOW.minusSeconds(1), false).getObjectsViolating()).isZero();
        assertThat(AuditSummarizer.summarize(objects, policy, NOW, false).getObjectsViolating()).isEqualTo(1);
    }

    @Test
    void clusterDefaultExamplesNameTheNamespace() {
        List<AuditedObject> objects = List.of(new AuditedObject(WorkloadKind.POD, Workloads.pod("team-a", "bad", true)));
        assertThat(AuditSummarizer.summarize(objects, baseline(""), NOW, true).getExamples())
                .containsExactly(new AuditExample("Pod", "team-a/bad", "no-privileged"));
    }
}
