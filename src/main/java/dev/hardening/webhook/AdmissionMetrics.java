package dev.hardening.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus metrics of the admission path: {@code hardening_admission_requests_total{kind,operation,decision}},
 * {@code hardening_admission_duration_seconds} and {@code hardening_violations_total{rule,mode}}.
 * Meters are cached by their tags so a request costs a map lookup, not a registration.
 */
@ApplicationScoped
public class AdmissionMetrics {

    private final MeterRegistry registry;
    private final Timer duration;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> violations = new ConcurrentHashMap<>();

    public AdmissionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duration = Timer.builder("hardening.admission.duration")
                .description("Time to judge one AdmissionReview, from body to response")
                .publishPercentileHistogram()
                .register(registry);
    }

    void request(String kind, String operation, String decision) {
        requests.computeIfAbsent(kind + '|' + operation + '|' + decision, key -> Counter.builder("hardening.admission.requests")
                .description("AdmissionReview requests by kind, operation and decision")
                .tag("kind", kind).tag("operation", operation).tag("decision", decision)
                .register(registry)).increment();
    }

    void violation(String rule, String mode) {
        violations.computeIfAbsent(rule + '|' + mode, key -> Counter.builder("hardening.violations")
                .description("Violations found at admission by rule and by the mode that applied")
                .tag("rule", rule).tag("mode", mode)
                .register(registry)).increment();
    }

    void duration(long nanos) {
        duration.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
