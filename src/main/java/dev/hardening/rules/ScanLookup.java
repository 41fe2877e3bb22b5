package dev.hardening.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scans known for a manifest digest, as the rules {@code image-vulnerabilities} and {@code image-scanned} read
 * them. The operator's implementation is an in-memory index fed by informers, the CLI's the reports it was given:
 * a lookup never calls an API or a registry, so the rules stay pure. Implementations are thread-safe.
 */
@FunctionalInterface
public interface ScanLookup {

    /** Knows no scan: every pinned image is unscanned. */
    ScanLookup NONE = digest -> List.of();

    /** Every scan of {@code digest} ({@code sha256:...}), trusted ones first; empty when none is known. */
    List<ScanResult> scansOf(String digest);

    /** A fixed set of scans, e.g. the reports the CLI was given: by digest, trusted ones first. */
    static ScanLookup of(Collection<ScanResult> scans) {
        Map<String, List<ScanResult>> byDigest = new HashMap<>();
        for (ScanResult scan : scans) {
            byDigest.computeIfAbsent(scan.digest(), d -> new ArrayList<>()).add(scan);
        }
        byDigest.replaceAll((digest, list) -> list.stream()
                .sorted(Comparator.comparing((ScanResult s) -> !s.trusted())).toList());
        Map<String, List<ScanResult>> frozen = Map.copyOf(byDigest);
        return digest -> frozen.getOrDefault(digest, List.of());
    }
}
