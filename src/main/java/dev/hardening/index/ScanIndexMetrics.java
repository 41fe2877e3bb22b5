package dev.hardening.index;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How full the scan index is, so that an alert can fire before scans are left out: {@code hardening_scan_digests}
 * (digests held), {@code hardening_scan_digests_limit} ({@code hardening.scan.max-digests}) and
 * {@code hardening_scan_digests_refused_total} (scans left out because the index was full; a digest left out is
 * unscanned, which image-scanned reports).
 */
@Startup
@ApplicationScoped
public class ScanIndexMetrics {

    public ScanIndexMetrics(MeterRegistry registry, ScanIndex scans) {
        Gauge.builder("hardening.scan.digests", scans, ScanIndex::digests)
                .description("Image digests whose scans this replica holds in memory").register(registry);
        Gauge.builder("hardening.scan.digests.limit", scans, ScanIndex::maxDigests)
                .description("Digests the scan index holds at most (hardening.scan.max-digests)").register(registry);
        FunctionCounter.builder("hardening.scan.digests.refused", scans, ScanIndex::refused)
                .description("Scans left out because the scan index was full (their digests count as unscanned)")
                .register(registry);
    }
}
