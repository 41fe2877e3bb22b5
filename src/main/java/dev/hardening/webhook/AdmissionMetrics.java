package dev.hardening.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus metrics of the admission path: {@code hardening_admission_requests_total{kind,operation,decision}},
 * {@code hardening_admission_duration_seconds}, {@code hardening_violations_total{rule,mode}} and, from the
 * transport, {@code hardening_webhook_connections_total{protocol}}.
 * Meters are cached by their tags so a request costs a map lookup, not a registration.
 */
@ApplicationScoped
public class AdmissionMetrics {

    private final MeterRegistry registry;
    private final Timer duration;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> violations = new ConcurrentHashMap<>();
    private final Map<String, Counter> connections = new ConcurrentHashMap<>();

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

    /** A TLS connection accepted on the webhook port, by the protocol ALPN chose ({@code h2} or {@code http/1.1}). */
    void connection(String protocol) {
        connections.computeIfAbsent(protocol, key -> Counter.builder("hardening.webhook.connections")
                .description("TLS connections accepted on the webhook port by negotiated protocol")
                .tag("protocol", protocol)
                .register(registry)).increment();
    }

    void duration(long nanos) {
        duration.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
