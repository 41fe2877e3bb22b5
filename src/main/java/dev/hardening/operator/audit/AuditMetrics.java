package dev.hardening.operator.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus metrics of the background audit: {@code hardening_audit_runs_total{result}} (complete, failed),
 * {@code hardening_audit_duration_seconds} and {@code hardening_audit_list_pages_total{kind}} (one per list request,
 * so the page size's effect is visible). Labels never carry namespace or object names.
 */
@ApplicationScoped
public class AuditMetrics {

    private final MeterRegistry registry;
    private final Timer duration;
    private final Map<String, Counter> runs = new ConcurrentHashMap<>();
    private final Map<String, Counter> pages = new ConcurrentHashMap<>();

    public AuditMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duration = Timer.builder("hardening.audit.duration")
                .description("Time of one audit of one policy, from the first list to the summary")
                .register(registry);
        // registered at start, so dashboards and alerts find the series before the first audit ends
        run("complete");
        run("failed");
    }

    private Counter run(String result) {
        return runs.computeIfAbsent(result, r -> Counter.builder("hardening.audit.runs")
                .description("Audits of one policy by result: complete or failed")
                .tag("result", r).register(registry));
    }

    void completed(Duration took) {
        run("complete").increment();
        duration.record(took);
    }

    void failed(Duration took) {
        run("failed").increment();
        duration.record(took);
    }

    void page(String kind) {
        pages.computeIfAbsent(kind, k -> Counter.builder("hardening.audit.list.pages")
                .description("List requests (pages) made by the audit, by kind")
                .tag("kind", k).register(registry)).increment();
    }
}
