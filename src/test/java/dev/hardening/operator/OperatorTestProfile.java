package dev.hardening.operator;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Starts the controllers against the mock API server; other tests run without any API server. */
public class OperatorTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.operator-sdk.start-operator", "true");
    }
}
