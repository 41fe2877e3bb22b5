package dev.hardening.lifecycle;

import dev.hardening.lifecycle.leader.Leadership;
import dev.hardening.operator.OperatorTestProfile;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.HardeningPolicyStatus;
import dev.hardening.testing.PolicyYaml;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica without the Lease writes no status; the one that gains it catches up on every policy by itself. The
 * reconciler against the fabric8 mock API server; the election is driven by hand.
 */
@QuarkusTest
@TestProfile(OperatorTestProfile.class)
@WithKubernetesTestServer(crud = true)
class FollowerWritesNothingTest {

    @Inject
    KubernetesClient client;

    @Inject
    Leadership leadership;

    private HardeningPolicyStatus status(String namespace, String name) {
        HardeningPolicy policy = client.resources(HardeningPolicy.class).inNamespace(namespace).withName(name).get();
        return policy == null ? null : policy.getStatus();
    }

    @Test
    void aFollowerLeavesStatusAloneAndTheNewLeaderCatchesUp() {
        leadership.lost();
        try {
            client.resource(PolicyYaml.policy("followers", "baseline", "profile: Baseline")).create();
            await("no status written by a follower").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> status("followers", "baseline") == null);
        } finally {
            leadership.gained();
        }
        // nothing about the policy changed: only gaining the Lease makes the reconciler write
        HardeningPolicyStatus status = await("status written after gaining the Lease").atMost(Duration.ofSeconds(30))
                .until(() -> status("followers", "baseline"), Objects::nonNull);
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
    }
}
