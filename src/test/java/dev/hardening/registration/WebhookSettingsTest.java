package dev.hardening.registration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSettingsTest {

    @Test
    void theControlPlaneTheOperatorAndTheConfiguredNamespacesAreNeverAdmitted() {
        assertThat(WebhookRegistrationIT.IN_CLUSTER.neverAdmittedNamespaces())
                .containsExactly("hardening-system", "kube-node-lease", "kube-system", "monitoring");
    }
}
