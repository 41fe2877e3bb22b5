package dev.hardening.lifecycle;

import dev.hardening.lifecycle.DefaultPolicyKeeper.Action;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leader's cluster-default policy against a mock API server: created, restored, deleted only when it is ours.
 * (The mock server has no server-side apply: HelmUpgradeIT shows a changed policy applied by the real API server.)
 */
@EnableKubernetesMockClient(crud = true)
class DefaultPolicyKeeperTest {

    static final String NS = "hardening-system";
    static final OwnerReference OWNER = new OwnerReferenceBuilder().withApiVersion("rbac.authorization.k8s.io/v1")
            .withKind("ClusterRole").withName("hardening-operator").withUid("uid-1").build();

    KubernetesClient client;

    private DefaultPolicyKeeper keeper(boolean enabled, String profile, String mode) {
        return new DefaultPolicyKeeper(client, new DefaultPolicySettings(enabled, NS, "cluster-default", profile, mode),
                () -> Optional.of(OWNER), true);
    }

    private GenericKubernetesResource policy() {
        return client.genericKubernetesResources(StartupPreflight.POLICIES).inNamespace(NS).withName("cluster-default").get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource policy) {
        return (Map<String, Object>) policy.getAdditionalProperties().get("spec");
    }

    @Test
    void createsThePolicyWithProfileModeLabelAndOwner() {
        assertThat(keeper(true, "Hardened", "Warn").ensure()).isEqualTo(Action.APPLIED);

        GenericKubernetesResource policy = policy();
        assertThat(spec(policy)).containsEntry("profile", "Hardened").containsEntry("mode", "Warn");
        assertThat(policy.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "hardening-operator");
        assertThat(policy.getMetadata().getOwnerReferences()).extracting(OwnerReference::getUid).containsExactly("uid-1");
        assertThat(keeper(true, "Hardened", "Warn").ensure()).as("nothing to write the second time").isEqualTo(Action.NONE);
    }

    @Test
    void aDeletedPolicyIsCreatedAgainByTheLeader() {
        DefaultPolicyKeeper keeper = keeper(true, "Hardened", "Warn");
        keeper.startLeading();
        try {
            Awaitility.await("created").atMost(Duration.ofSeconds(10)).until(() -> policy() != null);
            client.genericKubernetesResources(StartupPreflight.POLICIES).inNamespace(NS).withName("cluster-default").delete();

            Awaitility.await("created again after the delete").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100)).until(() -> policy() != null);
            assertThat(spec(policy())).containsEntry("mode", "Warn");
        } finally {
            keeper.stopLeading();
        }
    }

    @Test
    void disabledDeletesOnlyAPolicyCarryingTheLabel() {
        keeper(true, "Hardened", "Warn").ensure();
        assertThat(keeper(false, "Hardened", "Warn").ensure()).isEqualTo(Action.DELETED);
        assertThat(policy()).isNull();

        client.genericKubernetesResources(StartupPreflight.POLICIES).inNamespace(NS).resource(new GenericKubernetesResourceBuilder().withApiVersion("hardening.dev/v1alpha1")
                .withKind("HardeningPolicy").withNewMetadata().withName("cluster-default").withNamespace(NS).endMetadata()
                .addToAdditionalProperties("spec", Map.of("profile", "Baseline", "mode", "Enforce")).build()).create();
        assertThat(keeper(false, "Hardened", "Warn").ensure()).as("the admin's own policy of that name")
                .isEqualTo(Action.NONE);
        assertThat(spec(policy())).containsEntry("profile", "Baseline");
    }

    @Test
    void nothingIsCreatedWithoutItsOwner() {
        DefaultPolicyKeeper keeper = new DefaultPolicyKeeper(client,
                new DefaultPolicySettings(true, NS, "cluster-default", "Hardened", "Warn"), Optional::empty, true);

        assertThat(keeper.ensure()).as("it would survive helm uninstall").isEqualTo(Action.WAITING_FOR_OWNER);
        assertThat(policy()).isNull();
    }
}
