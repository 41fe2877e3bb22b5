package dev.hardening.lifecycle;

import dev.hardening.testing.TestConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** One clear sentence for each way the operator cannot start, instead of running half-configured. */
@EnableKubernetesMockClient
class StartupPreflightTest {

    static final String POLICIES = "/apis/hardening.dev/v1alpha1/hardeningpolicies?limit=1";

    KubernetesMockServer server;
    KubernetesClient client;

    private Optional<String> check(Map<String, String> properties) {
        return StartupPreflight.check(client, TestConfig.hardening(properties));
    }

    @Test
    void startsWhenThePoliciesCanBeListed() {
        server.expect().get().withPath(POLICIES)
                .andReturn(200, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[]}").once();
        assertThat(check(Map.of())).isEmpty();
    }

    @Test
    void missingCrdIsNamed() {
        server.expect().get().withPath(POLICIES).andReturn(404, "{}").once();
        assertThat(check(Map.of())).contains(
                "the CRD hardeningpolicies.hardening.dev (v1alpha1) is not installed; apply crds/ (the chart installs it) and restart");
    }

    @Test
    void forbiddenPointsAtRbac() {
        server.expect().get().withPath(POLICIES).andReturn(403, "{}").once();
        assertThat(check(Map.of())).contains("the operator may not list hardeningpolicies.hardening.dev (403 Forbidden); "
                + "the chart's ClusterRole or ClusterRoleBinding is missing or outdated");
    }

    @Test
    void rejectedCredentialsAreNamed() {
        server.expect().get().withPath(POLICIES).andReturn(401, "{}").once();
        assertThat(check(Map.of())).hasValueSatisfying(line -> assertThat(line)
                .startsWith("the API server at " + client.getMasterUrl())
                .endsWith("rejected the operator's credentials (401 Unauthorized); check the ServiceAccount token or kubeconfig"));
    }

    @Test
    void badSettingsAreReportedBeforeAnyRequest() {
        assertThat(check(Map.of("hardening.certificates.mode", "vault", "hardening.webhook.failure-policy", "Open")))
                .contains("invalid configuration: hardening.webhook.failure-policy: must be Fail or Ignore, got \"Open\"; "
                        + "hardening.certificates.mode: must be self-managed, cert-manager or external, got \"vault\"");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void badDefaultPolicySettingsAreReportedTogether() {
        assertThat(check(Map.of("hardening.default-policy.name", "Cluster_Default", "hardening.default-policy.profile",
                "Strict", "hardening.default-policy.mode", "Deny")))
                .contains("invalid configuration: hardening.default-policy.name: must be a lowercase DNS-1123 name, "
                        + "got \"Cluster_Default\"; hardening.default-policy.profile: must be Baseline, Restricted, "
                        + "Hardened or None, got \"Strict\"; hardening.default-policy.mode: must be Enforce, Warn or "
                        + "Audit, got \"Deny\"");
        assertThat(server.getRequestCount()).isZero();
    }
}
