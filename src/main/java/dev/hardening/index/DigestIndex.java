package dev.hardening.index;

import dev.hardening.rules.ScanLookup;
import dev.hardening.rules.ScanResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scans every replica holds, by manifest digest: what admission and the audit read, from memory. Written by the
 * informers' threads (one source object at a time: an ImageScan, a VulnerabilityReport), read by any thread without a
 * lock (each digest's list is immutable and swapped whole). Bounded: at most {@code maxDigests} digests; the scans of
 * further digests are left out and counted (they are then unscanned, which image-scanned reports).
 */
final class DigestIndex implements ScanLookup {

    private static final Comparator<ScanResult> TRUSTED_FIRST = Comparator.comparing((ScanResult s) -> !s.trusted())
            .thenComparing(ScanResult::source);

    private final int maxDigests;
    private final Map<String, List<ScanResult>> byDigest = new ConcurrentHashMap<>();
    /** Which digest each source object said it scanned, so that an update or delete finds the old entry. */
    private final Map<String, ScanResult> bySource = new HashMap<>();
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
        ScanResult old = bySource.get(key);
        if (old != null && !old.digest().equals(scan.digest())) {
            remove(key);
            old = null;
        }
        if (old == null && !byDigest.containsKey(scan.digest()) && byDigest.size() >= maxDigests) {
            leftOut++;
            return false;
        }
        bySource.put(key, scan);
        List<ScanResult> scans = new ArrayList<>(scansOf(scan.digest()));
        scans.removeIf(s -> s.source().equals(scan.source()));
        scans.add(scan);
        scans.sort(TRUSTED_FIRST);
        byDigest.put(scan.digest(), List.copyOf(scans));
        return true;
    }

    /** The object {@code key} is gone: its scan no longer counts. */
    synchronized void remove(String key) {
        ScanResult old = bySource.remove(key);
        if (old == null) {
            return;
        }
        List<ScanResult> scans = new ArrayList<>(scansOf(old.digest()));
        scans.removeIf(s -> s.source().equals(old.source()));
        if (scans.isEmpty()) {
            byDigest.remove(old.digest());
        } else {
            byDigest.put(old.digest(), List.copyOf(scans));
        }
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
