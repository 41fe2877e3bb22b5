package dev.hardening.operator.audit;

import dev.hardening.testing.Workloads;
import dev.hardening.policy.AuditSummary;
import dev.hardening.engine.CompiledPolicy;
import dev.hardening.engine.PolicyCompiler;
import dev.hardening.testing.PolicyYaml;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit lists a namespace's NetworkPolicies (from the CRUD mock API server) when its policy enables
 * network-policy-coverage: a Deployment alone counts as uncovered, a policy of another namespace changes nothing,
 * a matchExpressions policy of its own namespace covers it.
 */
@EnableKubernetesMockClient(crud = true)
class CoverageAuditTest {

    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    KubernetesClient client;

    @Test
    void aDeploymentIsUncoveredUntilAPolicyOfItsOwnNamespaceSelectsIt() {
        CompiledPolicy policy = PolicyCompiler.compile(PolicyYaml.policy("shop", "isolation", """
                profile: None
                rules:
                - id: network-policy-coverage
                """)).policy();
        PolicyAuditor auditor = new PolicyAuditor(2, new AuditMetrics(new SimpleMeterRegistry()));
        client.resource(Workloads.deployment("shop", "api", false)).create();

        assertThat(summary(auditor, policy).getViolationsByRule()).containsExactly(Map.entry("network-policy-coverage", 1));

        client.resource(networkPolicy("other", "podSelector: {}")).create();
        assertThat(summary(auditor, policy).getObjectsViolating()).as("a policy of another namespace").isEqualTo(1);

        client.resource(networkPolicy("shop", """
                podSelector:
                  matchExpressions:
                  - {key: app, operator: In, values: [api, web]}""")).create();
        AuditSummary covered = summary(auditor, policy);
        assertThat(covered.getObjectsChecked()).isEqualTo(1);
        assertThat(covered.getObjectsViolating()).isZero();
    }

    private AuditSummary summary(PolicyAuditor auditor, CompiledPolicy policy) {
        return auditor.auditNamespace(client, policy, "shop", NOW, 10).tally().summary(NOW, false);
    }

    private static NetworkPolicy networkPolicy(String namespace, String spec) {
        return Serialization.unmarshal("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: "
                + namespace + "\nspec:\n" + spec.indent(2), NetworkPolicy.class);
    }
}
