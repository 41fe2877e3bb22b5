package dev.hardening.tls;

import dev.hardening.HardeningConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.util.HashMap;
import java.util.Map;

/** {@link HardeningConfig} outside Quarkus, for plain unit and mock-server tests. */
public final class TestConfig {

    private TestConfig() {
    }

    public static HardeningConfig hardening(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>();
        // plain SmallRye reads ISO-8601 durations only; Quarkus also reads the default "10m"
        all.put("hardening.audit.interval", "PT10M");
        all.putAll(properties);
        return new SmallRyeConfigBuilder().withMapping(HardeningConfig.class)
                .withSources(new PropertiesConfigSource(all, "test", 500))
                .build().getConfigMapping(HardeningConfig.class);
    }
}
