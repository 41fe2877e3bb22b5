package dev.hardening.operator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * {@code hardening_ready}: 1 when every readiness check of this replica passes (what {@code /q/health/ready} says),
 * else 0, so that "no ready replica" is an alert on a series the operator exports itself.
 */
@Startup
@ApplicationScoped
public class ReadinessMetrics {

    public ReadinessMetrics(MeterRegistry registry, SmallRyeHealthReporter health) {
        Gauge.builder("hardening.ready", health,
                        h -> h.getReadiness().getStatus() == HealthCheckResponse.Status.UP ? 1 : 0)
                .description("1 when this replica is ready (policies loaded, webhook serving), else 0")
                .register(registry);
    }
}
