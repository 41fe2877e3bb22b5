package dev.hardening.operator.audit;

import dev.hardening.testing.Workloads;
import dev.hardening.policy.AuditExample;
import dev.hardening.policy.AuditSummary;
import dev.hardening.engine.CompiledPolicy;
import dev.hardening.engine.PolicyCompiler;
import dev.hardening.testing.PolicyYaml;
import dev.hardening.rules.NetworkPolicies;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class NamespaceAuditTest {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    static CompiledPolicy baseline(String extra) {
        return PolicyCompiler.compile(PolicyYaml.policy("payments", "p", "profile: Baseline\n" + extra)).policy();
    }

    static AuditSummary audit(CompiledPolicy policy, Instant now, boolean qualify, String namespace, HasMetadata... objects) {
        NamespaceAudit audit = new NamespaceAudit(policy, namespace, now);
        for (HasMetadata object : objects) {
            audit.add(WorkloadKind.ofKind(object.getKind()).orElseThrow(), object);
        }
        return audit.tally().summary(now, qualify);
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

        AuditSummary summary = audit(baseline(""), NOW, false, "payments", ofJob, claimsDeployment, notController, otherGroup);

        assertThat(summary.getExamples()).extracting(AuditExample::getName)
                .containsExactly("claims-deployment", "not-controller", "other-group");
    }

    @Test
    void countsViolatingObjectsPerRuleWithExamples() {
        AuditSummary summary = audit(baseline(""), NOW, false, "payments",
                Workloads.pod("payments", "bad-pod", true), Workloads.pod("payments", "good-pod", false),
                Workloads.deployment("payments", "bad-deploy", true));
        assertThat(summary.getObjectsChecked()).isEqualTo(3);
        assertThat(summary.getObjectsViolating()).isEqualTo(2);
        assertThat(summary.getViolationsByRule()).containsExactly(Map.entry("no-privileged", 2));
        assertThat(summary.getExamples()).containsExactly(
                new AuditExample("Pod", "bad-pod", "no-privileged"),
                new AuditExample("Deployment", "bad-deploy", "no-privileged"));
        assertThat(summary.getLastAuditTime()).isEqualTo("2026-11-28T12:00:00Z");
    }

    /** A Deployment alone is uncovered; a rule-less podSelector: {} policy of its own namespace covers it, another's does not. */
    @Test
    void coverageIsJudgedFromTheNamespacesNetworkPoliciesAndCountedWithTheWorkload() {
        CompiledPolicy coverage = PolicyCompiler.compile(PolicyYaml.policy("payments", "p", """
                profile: None
                rules:
                - id: network-policy-coverage
                network:
                  requiredPolicyTypes: [Ingress, Egress]
                """)).policy();
        NetworkPolicy defaultDeny = defaultDeny("payments");
        NetworkPolicy elsewhere = defaultDeny("other");

        for (List<NetworkPolicy> uncovered : List.of(List.<NetworkPolicy>of(), List.of(elsewhere))) {
            NamespaceAudit alone = new NamespaceAudit(coverage, "payments", NOW, 10, NetworkPolicies.of(uncovered, "payments"));
            alone.add(WorkloadKind.DEPLOYMENT, Workloads.deployment("payments", "api", false));
            assertThat(alone.tally().summary(NOW, false).getViolationsByRule())
                    .containsExactly(Map.entry("network-policy-coverage", 1));
            assertThat(alone.results()).extracting(ReportResult::message).containsExactly(
                    "spec.template.metadata.labels: no NetworkPolicy in namespace \"payments\" selects its Pods for Ingress and "
                            + "Egress; add a NetworkPolicy whose podSelector matches spec.template.metadata.labels with policyTypes "
                            + "Ingress and Egress (podSelector: {} without rules is a default deny for the namespace)");
        }

        NamespaceAudit covered = new NamespaceAudit(coverage, "payments", NOW, 10, NetworkPolicies.of(List.of(defaultDeny), "payments"));
        covered.add(WorkloadKind.DEPLOYMENT, Workloads.deployment("payments", "api", false));
        assertThat(covered.tally().summary(NOW, false).getObjectsViolating()).isZero();
        assertThat(covered.counts().pass()).isEqualTo(1);
    }

    /** A rule-less policy selecting every Pod: a default deny for both directions. */
    private static NetworkPolicy defaultDeny(String namespace) {
        return Serialization.unmarshal("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny, "
                + "namespace: " + namespace + "}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n", NetworkPolicy.class);
    }

    @Test
    void podsOfAuditedControllersAreNotCountedTwice() {
        AuditSummary summary = audit(baseline(""), NOW, false, "payments",
                Workloads.ownedPod("payments", "web-abc", "ReplicaSet"), Workloads.ownedPod("payments", "agent", "SomeOperatorKind"));
        assertThat(summary.getObjectsChecked()).isEqualTo(1);
        assertThat(summary.getExamples()).extracting(AuditExample::getName).containsExactly("agent");
    }

    @Test
    void examplesAreBoundedToTenAndTheFirstByNameWhateverTheOrderTheyCameIn() {
        NamespaceAudit audit = new NamespaceAudit(baseline(""), "payments", NOW);
        for (int i = 24; i >= 0; i--) {
            audit.add(WorkloadKind.POD, Workloads.pod("payments", "bad-" + (100 + i), true));
        }
        AuditSummary summary = audit.tally().summary(NOW, false);
        assertThat(summary.getObjectsViolating()).isEqualTo(25);
        assertThat(summary.getExamples()).hasSize(AuditSummary.MAX_EXAMPLES);
        assertThat(summary.getExamples().get(0).getName()).isEqualTo("bad-100");
        assertThat(summary.getExamples().get(9).getName()).isEqualTo("bad-109");
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
        HasMetadata pod = Workloads.pod("payments", "bad", true);
        assertThat(audit(policy, NOW.minusSeconds(1), false, "payments", pod).getObjectsViolating()).isZero();
        assertThat(audit(policy, NOW, false, "payments", pod).getObjectsViolating()).isEqualTo(1);
    }

    @Test
    void clusterDefaultExamplesNameTheNamespace() {
        assertThat(audit(baseline(""), NOW, true, "team-a", Workloads.pod("team-a", "bad", true)).getExamples())
                .containsExactly(new AuditExample("Pod", "team-a/bad", "no-privileged"));
    }

    @Test
    void namespaceTalliesMergeIntoTheTotalsOfOnePass() {
        AuditTally b = new AuditTally();
        b.count(WorkloadKind.POD, "team-b", "x", Set.of("no-privileged"));
        b.count(WorkloadKind.POD, "team-b", "y", Set.of());
        AuditTally a = new AuditTally();
        a.count(WorkloadKind.DEPLOYMENT, "team-a", "web", Set.of("no-privileged", "no-host-path"));
        a.count(WorkloadKind.POD, "team-a", "z", Set.of("no-host-path"));
        AuditTally total = new AuditTally();
        total.merge(b);
        total.merge(a);
        AuditSummary summary = total.summary(NOW, true);
        assertThat(summary.getObjectsChecked()).isEqualTo(4);
        assertThat(summary.getObjectsViolating()).isEqualTo(3);
        assertThat(summary.getViolationsByRule()).containsExactly(Map.entry("no-host-path", 2), Map.entry("no-privileged", 2));
        assertThat(summary.getExamples()).extracting(AuditExample::getName).containsExactly("team-a/z", "team-b/x", "team-a/web");
    }

    @Test
    void clusterDefaultCoversNamespacesWithoutOwnPolicyExceptTheNeverSeenOnes() {
        CompiledPolicy fallback = PolicyCompiler.compile(PolicyYaml.policy("hardening-system", "d", "profile: Baseline")).policy();
        AuditScope scope = AuditScope.of(fallback, "hardening-system", java.util.Optional.of(List.of("legacy")),
                Set.of("hardening-system", "payments"));
        assertThat(scope.clusterDefault()).isTrue();
        assertThat(List.of("team-a", "payments", "legacy", "kube-system", "kube-node-lease", "hardening-system"))
                .filteredOn(scope::covers).containsExactly("team-a");
        AuditScope own = AuditScope.of(baseline(""), "hardening-system", java.util.Optional.empty(), Set.of("payments"));
        assertThat(List.of("team-a", "payments")).filteredOn(own::covers).containsExactly("payments");
    }
}
