package dev.hardening.registration;

import dev.hardening.HardeningConfig.ControllerChildren;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSettingsTest {

    @Test
    void badSettingsAreReportedTogether() {
        WebhookSettings bad = new WebhookSettings("x", WebhookRegistrationIT.NS, "svc",
                Optional.of("http://127.0.0.1/validate"), "Maybe", 31, List.of(), ControllerChildren.Trust, List.of(" "));
        assertThat(bad.errors()).containsExactly(
                "hardening.webhook.failure-policy: must be Fail or Ignore, got \"Maybe\"",
                "hardening.webhook.timeout-seconds: must be between 1 and 30 (the API server's limits), got 31",
                "hardening.webhook.controller-usernames: must name at least one user when "
                        + "hardening.webhook.controller-children is Trust",
                "hardening.webhook.url: must be an https URL with a host, got \"http://127.0.0.1/validate\"");
        assertThat(WebhookRegistrationIT.IN_CLUSTER.errors()).isEmpty();
    }

    @Test
    void theControlPlaneTheOperatorAndTheConfiguredNamespacesAreNeverAdmitted() {
        assertThat(WebhookRegistrationIT.IN_CLUSTER.neverAdmittedNamespaces())
                .containsExactly("hardening-system", "kube-node-lease", "kube-system", "monitoring");
    }
}
