package dev.hardening.operator.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Prometheus metrics of the background audit: {@code hardening_audit_runs_total{result}} (complete, failed),
 * {@code hardening_audit_duration_seconds} and {@code hardening_audit_list_pages_total{kind}} (one per list request,
 * so the page size's effect is visible), and per policy (bounded by the number of policies)
 * {@code hardening_audit_violating_objects{policy}} and {@code hardening_audit_last_complete_timestamp_seconds{policy}}.
 * Labels never carry workload namespace or object names.
 */
@ApplicationScoped
public class AuditMetrics {

    private final MeterRegistry registry;
    private final Timer duration;
    private final Map<String, Counter> runs = new ConcurrentHashMap<>();
    private final Map<String, Counter> pages = new ConcurrentHashMap<>();
    private final Map<String, PolicyGauges> policies = new ConcurrentHashMap<>();

    private record PolicyGauges(AtomicLong violating, AtomicLong lastComplete, Gauge violatingGauge, Gauge lastCompleteGauge) {
    }

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

    /** The figures of a complete audit of {@code policy} ({@code namespace/name}). */
    public void policyAudited(String policy, int violating, Instant at) {
        PolicyGauges gauges = policies.computeIfAbsent(policy, p -> {
            AtomicLong count = new AtomicLong();
            AtomicLong time = new AtomicLong();
            return new PolicyGauges(count, time,
                    Gauge.builder("hardening.audit.violating.objects", count, AtomicLong::get)
                            .description("Objects violating the policy at its last complete audit")
                            .tag("policy", p).register(registry),
                    Gauge.builder("hardening.audit.last.complete.timestamp", time, AtomicLong::get)
                            .description("When the policy's last complete audit ran (Unix seconds)")
                            .baseUnit("seconds").tag("policy", p).register(registry));
        });
        gauges.violating().set(violating);
        gauges.lastComplete().set(at.getEpochSecond());
    }

    /** Drops the gauges of policies that are gone. */
    public void retainPolicies(Predicate<String> exists) {
        policies.entrySet().removeIf(e -> {
            if (exists.test(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue().violatingGauge());
            registry.remove(e.getValue().lastCompleteGauge());
            return true;
        });
    }

    void page(String kind) {
        pages.computeIfAbsent(kind, k -> Counter.builder("hardening.audit.list.pages")
                .description("List requests (pages) made by the audit, by kind")
                .tag("kind", k).register(registry)).increment();
    }
}
