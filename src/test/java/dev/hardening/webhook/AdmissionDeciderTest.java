package dev.hardening.webhook;

import dev.hardening.policy.AdmissionDecider;
import dev.hardening.policy.CompiledExemption;
import dev.hardening.policy.CompiledPolicy;
import dev.hardening.policy.EffectiveRule;
import dev.hardening.policy.Finding;
import dev.hardening.policy.Outcome;
import dev.hardening.policy.PolicyRef;
import dev.hardening.policy.RuleMode;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class AdmissionDeciderTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final String PINNED = "registry.example.com/app@sha256:" + "a".repeat(64);

    private static CompiledPolicy policy(String name, RuleMode digestMode, CompiledExemption... exemptions) {
        return new CompiledPolicy(new PolicyRef("payments", name), 1,
                List.of(new EffectiveRule(StubRules.UNPINNED, digestMode), new EffectiveRule(StubRules.HOST_NETWORK, RuleMode.Enforce)),
                RuleSettings.DEFAULTS, List.of(exemptions));
    }

    private static PodTarget deployment(boolean hostNetwork, String... images) {
        DeploymentBuilder builder = new DeploymentBuilder().withNewMetadata().withName("api").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withHostNetwork(hostNetwork).endSpec().endTemplate().endSpec();
        Deployment deployment = builder.build();
        for (int i = 0; i < images.length; i++) {
            deployment.getSpec().getTemplate().getSpec().getContainers().add(
                    new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("c" + i).withImage(images[i]).build());
        }
        return PodTarget.of(WorkloadKind.DEPLOYMENT, deployment);
    }

    @Test
    void eachModeLeadsToItsOutcome() {
        for (RuleMode mode : List.of(RuleMode.Enforce, RuleMode.Warn, RuleMode.Audit)) {
            List<Finding> findings = AdmissionDecider.judge(deployment(false, "nginx:1.25"), null, false,
                    List.of(policy("p", mode)), NOW);
            Outcome expected = switch (mode) {
                case Enforce -> Outcome.DENY;
                case Warn -> Outcome.WARN;
                default -> Outcome.AUDIT;
            };
            assertThat(findings).as("mode %s", mode).extracting(Finding::outcome).containsExactly(expected);
        }
    }

    @Test
    void everyViolationIsKeptWithItsPath() {
        List<Finding> findings = AdmissionDecider.judge(deployment(true, "nginx:1.25", "redis"), null, false,
                List.of(policy("p", RuleMode.Enforce)), NOW);
        assertThat(findings).extracting(f -> f.violation().ruleId(), f -> f.violation().path(), Finding::outcome)
                .containsExactly(
                        tuple("stub-digest", "spec.template.spec.containers[0].image", Outcome.DENY),
                        tuple("stub-digest", "spec.template.spec.containers[1].image", Outcome.DENY),
                        tuple("stub-host-network", "spec.template.spec.hostNetwork", Outcome.DENY));
    }

    @Test
    void eachPolicyIsJudgedOnItsOwn() {
        List<Finding> findings = AdmissionDecider.judge(deployment(false, "nginx:1.25"), null, false,
                List.of(policy("strict", RuleMode.Enforce), policy("lax", RuleMode.Warn)), NOW);
        assertThat(findings).extracting(f -> f.policy().name(), Finding::outcome)
                .containsExactly(tuple("strict", Outcome.DENY), tuple("lax", Outcome.WARN));
    }

    @Test
    void anExemptionCoversOnlyUntilItExpires() {
        Instant expires = NOW.plusSeconds(60);
        CompiledPolicy exempting = policy("p", RuleMode.Enforce,
                new CompiledExemption(0, Set.of("stub-digest"), Set.of("c0"), List.of(), "legacy", expires));
        PodTarget target = deployment(false, "nginx:1.25");

        assertThat(AdmissionDecider.judge(target, null, false, List.of(exempting), expires.minusMillis(1)))
                .extracting(Finding::outcome).containsExactly(Outcome.EXEMPT);
        assertThat(AdmissionDecider.judge(target, null, false, List.of(exempting), expires))
                .extracting(Finding::outcome).containsExactly(Outcome.DENY);
    }

    @Test
    void anUpdateKeepsViolationsTheOldObjectAlreadyHad() {
        PodTarget before = deployment(true, "nginx:1.25");
        PodTarget scaled = deployment(true, "nginx:1.25");

        List<Finding> findings = AdmissionDecider.judge(scaled, before, false, List.of(policy("p", RuleMode.Enforce)), NOW);

        assertThat(findings).extracting(Finding::outcome, Finding::downgrade).containsExactly(
                tuple(Outcome.WARN, Finding.Downgrade.ALREADY_PRESENT), tuple(Outcome.WARN, Finding.Downgrade.ALREADY_PRESENT));
    }

    @Test
    void changingAnImageRejudgesThatContainer() {
        PodTarget before = deployment(false, "nginx:1.25", "redis:7");
        PodTarget retagged = deployment(false, "nginx:1.26", "redis:7");

        List<Finding> findings = AdmissionDecider.judge(retagged, before, false, List.of(policy("p", RuleMode.Enforce)), NOW);

        assertThat(findings).extracting(f -> f.violation().container(), Finding::outcome).containsExactly(
                tuple("c0", Outcome.DENY), tuple("c1", Outcome.WARN));
    }

    @Test
    void aViolationTheUpdateIntroducesDenies() {
        PodTarget before = deployment(false, PINNED);
        PodTarget after = deployment(true, PINNED);

        List<Finding> findings = AdmissionDecider.judge(after, before, false, List.of(policy("p", RuleMode.Enforce)), NOW);

        assertThat(findings).extracting(f -> f.violation().ruleId(), Finding::outcome)
                .containsExactly(tuple("stub-host-network", Outcome.DENY));
    }

    @Test
    void mirrorPodsAreNeverDenied() {
        Pod pod = new PodBuilder().withNewMetadata().withName("etcd-node1").endMetadata()
                .withNewSpec().withHostNetwork(true).addNewContainer().withName("etcd").withImage("etcd:3.6").endContainer()
                .endSpec().build();

        List<Finding> findings = AdmissionDecider.judge(PodTarget.of(WorkloadKind.POD, pod), null, true,
                List.of(policy("p", RuleMode.Enforce)), NOW);

        assertThat(findings).extracting(Finding::outcome, Finding::downgrade).containsOnly(
                tuple(Outcome.WARN, Finding.Downgrade.MIRROR_POD));
    }

    @Test
    void aCompliantObjectHasNoFindings() {
        assertThat(AdmissionDecider.judge(deployment(false, PINNED), null, false, List.of(policy("p", RuleMode.Enforce)), NOW))
                .isEmpty();
    }
}
