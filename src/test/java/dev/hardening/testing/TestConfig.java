package dev.hardening.testing;

import dev.hardening.HardeningConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@link HardeningConfig} outside Quarkus, for plain unit and mock-server tests. */
public final class TestConfig {

    private TestConfig() {
    }

    public static HardeningConfig hardening(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        // plain SmallRye reads ISO-8601 durations only; Quarkus's converter also reads defaults such as "10m"
        return new SmallRyeConfigBuilder().withMapping(HardeningConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 500))
                .build().getConfigMapping(HardeningConfig.class);
    }
}
