package dev.hardening.index;

import dev.hardening.rules.ScanFinding;
import dev.hardening.rules.ScanLookup;
import dev.hardening.rules.ScanResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scans every replica holds, by manifest digest: what admission and the audit read, from memory. Written by the
 * informers' threads (one source object at a time: an ImageScan, a VulnerabilityReport), read by any thread without a
 * lock (each digest's list is immutable and swapped whole). Bounded: at most {@code maxDigests} digests; the scans of
 * further digests are left out and counted (they are then unscanned, which image-scanned reports). Source objects
 * that say the same about a digest share one scan (Trivy Operator writes one report per workload container, so one
 * image run by many workloads has many identical reports), and scans of a digest that list the same findings share
 * the findings: what grows per further report of a digest is a name or a summary, not its findings.
 */
final class DigestIndex implements ScanLookup {

    private static final Comparator<ScanResult> TRUSTED_FIRST = Comparator.comparing((ScanResult s) -> !s.trusted())
            .thenComparing(ScanResult::source);

    private final int maxDigests;
    private final Map<String, List<ScanResult>> byDigest = new ConcurrentHashMap<>();
    /** The scan each source object holds, so that an update or delete finds the old entry. */
    private final Map<String, ScanResult> bySource = new HashMap<>();
    /** Per scan held, the source objects that hold it and the source each names (the scan is named after one). */
    private final Map<ScanResult, Map<String, String>> holders = new IdentityHashMap<>();
    private long leftOut;

    DigestIndex(int maxDigests) {
        this.maxDigests = maxDigests;
    }

    @Override
    public List<ScanResult> scansOf(String digest) {
        return byDigest.getOrDefault(digest, List.of());
    }

    /** The scan of the object {@code key} ({@code kind/namespace/name}) is now {@code scan}; false when left out. */
    synchronized boolean put(String key, ScanResult scan) {
        remove(key);
        if (!byDigest.containsKey(scan.digest()) && byDigest.size() >= maxDigests) {
            leftOut++;
            return false;
        }
        List<ScanResult> scans = scansOf(scan.digest());
        ScanResult held = scans.stream().filter(s -> sameScan(s, scan)).findFirst().orElse(null);
        if (held == null) {
            // reports of one image scanned at different times mostly list the same findings: held once
            held = scans.stream().filter(s -> s.findings().equals(scan.findings())).findFirst()
                    .map(s -> copy(scan, scan.source(), s.findings())).orElse(scan);
            replace(scan.digest(), scans, null, held);
        }
        bySource.put(key, held);
        holders.computeIfAbsent(held, s -> new HashMap<>()).put(key, scan.source());
        return true;
    }

    /** The object {@code key} is gone: its scan no longer counts. */
    synchronized void remove(String key) {
        ScanResult old = bySource.remove(key);
        if (old == null) {
            return;
        }
        Map<String, String> names = holders.remove(old);
        names.remove(key);
        ScanResult renamed = null;
        if (!names.isEmpty()) {
            // still held by others: named after one of them if it was named after the object that went
            renamed = names.containsValue(old.source()) ? old : copy(old, names.values().iterator().next(), old.findings());
            holders.put(renamed, names);
            for (String holder : names.keySet()) {
                bySource.put(holder, renamed);
            }
        }
        replace(old.digest(), scansOf(old.digest()), old, renamed);
    }

    /** The digest's scans with {@code out} (compared by identity) replaced by {@code in}; either may be null. */
    private void replace(String digest, List<ScanResult> scans, ScanResult out, ScanResult in) {
        if (out == in) {
            return;
        }
        List<ScanResult> next = new ArrayList<>(scans);
        next.removeIf(s -> s == out);
        if (in != null) {
            next.add(in);
        }
        next.sort(TRUSTED_FIRST);
        if (next.isEmpty()) {
            byDigest.remove(digest);
        } else {
            byDigest.put(digest, List.copyOf(next));
        }
    }

    /** Whether two scans of a digest say the same, whichever object they came from. */
    private static boolean sameScan(ScanResult a, ScanResult b) {
        return a.trusted() == b.trusted() && a.truncated() == b.truncated() && Objects.equals(a.image(), b.image())
                && a.scanner().equals(b.scanner()) && a.scannerVersion().equals(b.scannerVersion())
                && Objects.equals(a.scannedAt(), b.scannedAt()) && a.summary().equals(b.summary())
                && a.findings().equals(b.findings());
    }

    private static ScanResult copy(ScanResult scan, String source, List<ScanFinding> findings) {
        return new ScanResult(scan.digest(), scan.image(), source, scan.trusted(), scan.scanner(), scan.scannerVersion(),
                scan.scannedAt(), scan.summary(), findings, scan.truncated());
    }

    int maxDigests() {
        return maxDigests;
    }

    synchronized int digests() {
        return byDigest.size();
    }

    /** How many scans were left out because the index was full. */
    synchronized long leftOut() {
        return leftOut;
    }
}
