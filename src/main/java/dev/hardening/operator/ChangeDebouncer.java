package dev.hardening.operator;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which namespaces are due for a re-audit after workload changes: quiet for {@code debounce} since their last change,
 * and not re-audited within {@code minInterval}. Bounded by the number of namespaces. Times are {@link System#nanoTime()}
 * values passed in, so that a test needs no clock and no sleep. Thread-safe: changes arrive on watch threads.
 */
final class ChangeDebouncer {

    private final long debounce;
    private final long minInterval;
    /** Namespace → time of its last change; cleared when flushed. */
    private final Map<String, Long> changed = new ConcurrentHashMap<>();
    /** Namespace → time of its last flush, for minInterval; pruned as entries age. */
    private final Map<String, Long> flushed = new ConcurrentHashMap<>();

    ChangeDebouncer(Duration debounce, Duration minInterval) {
        this.debounce = debounce.toNanos();
        this.minInterval = minInterval.toNanos();
    }

    void changed(String namespace, long now) {
        changed.put(namespace, now);
    }

    /** Hands each namespace that is due to {@code reaudit}, one by one; a failing one leaves the rest for next time. */
    void flushDue(long now, Consumer<String> reaudit) {
        flushed.values().removeIf(at -> now - at > minInterval);
        for (Iterator<Map.Entry<String, Long>> it = changed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> entry = it.next();
            String namespace = entry.getKey();
            if (now - entry.getValue() < debounce || flushed.containsKey(namespace)) {
                continue;
            }
            it.remove();
            flushed.put(namespace, now);
            reaudit.accept(namespace);
        }
    }
}
