package dev.hardening.webhook;

import dev.hardening.testing.TestPolicyIndex;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;
import java.util.Set;

/**
 * Webhook tests say which policies a namespace has and which certificate is served, instead of the informer-fed
 * index and the certificate Secret. Alternatives, not global mocks, so that operator tests keep the real beans.
 */
public class WebhookTestProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(TestPolicyIndex.class, TestTlsMaterialSource.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // the webhook alone: no controllers and no webhook registration against the test API server
        return Map.of("quarkus.operator-sdk.start-operator", "false", "hardening.webhook.register", "false");
    }
}
