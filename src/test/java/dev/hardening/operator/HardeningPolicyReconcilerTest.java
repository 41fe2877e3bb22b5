package dev.hardening.operator;

import dev.hardening.index.InformerPolicyIndex;
import dev.hardening.policy.AuditExample;
import dev.hardening.policy.EffectiveRuleStatus;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.HardeningPolicyStatus;
import dev.hardening.policy.PolicyCondition;
import dev.hardening.testing.PolicyYaml;
import dev.hardening.testing.Workloads;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The reconciler and the policy index against the fabric8 mock API server in CRUD mode. */
@QuarkusTest
@TestProfile(OperatorTestProfile.class)
@WithKubernetesTestServer(crud = true)
class HardeningPolicyReconcilerTest {

    @Inject
    KubernetesClient client;

    @Inject
    InformerPolicyIndex index;

    private HardeningPolicy apply(String namespace, String name, String spec) {
        return client.resource(PolicyYaml.policy(namespace, name, spec)).create();
    }

    private HardeningPolicyStatus statusOf(String namespace, String name, String expectedReady) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            HardeningPolicy p = client.resources(HardeningPolicy.class).inNamespace(namespace).withName(name).get();
            return p == null ? null : p.getStatus();
        }, s -> s != null && s.condition(PolicyCondition.READY).map(c -> expectedReady.equals(c.getStatus())).orElse(false));
    }

    @Test
    void validPolicyIsReadyWithEffectiveRulesAndAuditCounts() {
        client.resource(Workloads.pod("payments", "privileged", true)).create();
        client.resource(Workloads.pod("payments", "fine", false)).create();
        client.resource(Workloads.deployment("payments", "web", true)).create();

        apply("payments", "baseline", "profile: Baseline");

        HardeningPolicyStatus status = statusOf("payments", "baseline", "True");
        PolicyCondition ready = status.condition(PolicyCondition.READY).orElseThrow();
        assertThat(ready.getReason()).isEqualTo("Active");
        assertThat(status.getObservedGeneration()).isNotNull();
        assertThat(status.getEffectiveRules()).contains(new EffectiveRuleStatus("no-privileged", "Enforce"));
        assertThat(status.getAudit().getObjectsChecked()).isEqualTo(3);
        assertThat(status.getAudit().getObjectsViolating()).isEqualTo(2);
        assertThat(status.getAudit().getViolationsByRule()).containsEntry("no-privileged", 2);
        assertThat(status.getAudit().getExamples()).containsExactly(
                new AuditExample("Pod", "privileged", "no-privileged"),
                new AuditExample("Deployment", "web", "no-privileged"));

        await().atMost(Duration.ofSeconds(30)).until(() -> client.v1().events().inNamespace("payments").list().getItems()
                .stream().map(Event::getMessage).toList(), m -> m.contains("2 existing objects violate this policy"));

        await().atMost(Duration.ofSeconds(30)).until(() -> index.ready()
                && index.policiesFor("payments").stream().anyMatch(p -> p.ref().name().equals("baseline")));
    }

    @Test
    void clusterDefaultCoversNamespacesWithoutOwnPolicies() {
        // the cluster default's audit walks the Namespaces, as in a real cluster where every object has one
        for (String ns : java.util.List.of("team-a", "owned")) {
            client.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(ns)
                    .endMetadata().build()).create();
        }
        client.resource(Workloads.pod("team-a", "loose", true)).create();
        client.resource(Workloads.pod("owned", "other", true)).create();
        apply("owned", "own", "profile: Baseline");
        statusOf("owned", "own", "True");

        apply("hardening-system", "default", "profile: Baseline\nmode: Warn");

        HardeningPolicyStatus status = statusOf("hardening-system", "default", "True");
        assertThat(status.getEffectiveRules()).contains(new EffectiveRuleStatus("no-privileged", "Warn"));
        assertThat(status.getAudit().getExamples()).contains(new AuditExample("Pod", "team-a/loose", "no-privileged"))
                .noneMatch(e -> e.getName().startsWith("owned/"));

        await().atMost(Duration.ofSeconds(30)).until(() -> index.ready()
                && index.policiesFor("team-a").stream().anyMatch(p -> p.ref().name().equals("default"))
                && index.policiesFor("owned").stream().allMatch(p -> p.ref().name().equals("own")));
    }

    @Test
    void invalidSpecIsNotReadyWithAReadableMessageAndNotEnforced() {
        apply("broken", "registry", """
                rules:
                - id: image-registry
                exemptions:
                - rules: [image-tag]
                  reason: tracked elsewhere
                """);

        HardeningPolicyStatus status = statusOf("broken", "registry", "False");
        PolicyCondition ready = status.condition(PolicyCondition.READY).orElseThrow();
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).isEqualTo("spec is invalid, nothing of it is enforced: "
                + "spec.registries: Required value: rule image-registry is in effect and needs allowed prefixes; "
                + "spec.exemptions[0].rules[0]: Invalid value: \"image-tag\": rule is not in effect in this policy");
        assertThat(status.getEffectiveRules()).isEmpty();
        assertThat(status.getAudit()).isNull();

        await().atMost(Duration.ofSeconds(30)).until(index::ready);
        assertThat(index.snapshot().namespacesWithPolicies()).doesNotContain("broken");
    }
}
