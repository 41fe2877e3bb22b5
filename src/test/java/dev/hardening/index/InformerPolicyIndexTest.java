package dev.hardening.index;

import dev.hardening.engine.CompiledPolicy;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.testing.PolicyYaml;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The index every replica serves admission from, fed by an informer on the CRUD mock API server. */
@EnableKubernetesMockClient(crud = true)
class InformerPolicyIndexTest {

    KubernetesClient client;
    KubernetesMockServer server;

    private InformerPolicyIndex index;

    @AfterEach
    void stop() {
        if (index != null) {
            index.stop();
        }
    }

    private static List<String> names(List<CompiledPolicy> policies) {
        return policies.stream().map(p -> p.ref().toString()).toList();
    }

    @Test
    void ownPoliciesThenClusterDefaultFollowEveryChange() {
        client.resource(PolicyYaml.policy("hardening-system", "default", "profile: Baseline")).create();
        client.resource(PolicyYaml.policy("payments", "strict", "profile: Restricted")).create();
        index = new InformerPolicyIndex(client, "hardening-system");

        await().atMost(Duration.ofSeconds(10)).until(index::ready);
        assertThat(names(index.policiesFor("payments"))).containsExactly("payments/strict");
        assertThat(names(index.policiesFor("web"))).containsExactly("hardening-system/default");

        // an invalid spec is not enforced: the namespace falls back to the cluster default
        HardeningPolicy broken = PolicyYaml.policy("payments", "strict", "rules: [{id: image-registry}]");
        broken.getMetadata().setGeneration(2L);
        client.resource(broken).update();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> names(index.policiesFor("payments")).equals(List.of("hardening-system/default")));

        client.resource(PolicyYaml.policy("payments", "second", "profile: Baseline")).create();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> names(index.policiesFor("payments")).equals(List.of("payments/second")));

        client.resources(HardeningPolicy.class).inNamespace("hardening-system").withName("default").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> index.policiesFor("web").isEmpty());
    }

    @Test
    void notReadyWhileThePoliciesCannotBeListed() {
        server.expect().get().withPath("/apis/hardening.dev/v1alpha1/hardeningpolicies?resourceVersion=0")
                .andReturn(503, "unavailable").always();
        server.expect().get().withPath("/apis/hardening.dev/v1alpha1/hardeningpolicies")
                .andReturn(503, "unavailable").always();
        index = new InformerPolicyIndex(client, "hardening-system");

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !index.ready());
        assertThat(index.policiesFor("payments")).isEmpty();
    }
}
