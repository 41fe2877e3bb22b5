package dev.hardening.rules;

import java.util.Locale;
import java.util.Optional;

/** A vulnerability's severity as scanners rate it, most severe first (Trivy's and Grype's names, upper case). */
public enum Severity {
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW,
    UNKNOWN;

    /** Whether this severity is {@code threshold} or more severe. */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }

    /** {@code Critical}, {@code high}, {@code Negligible}...: a scanner's word; anything else is UNKNOWN. */
    public static Severity parse(String text) {
        return find(text).orElse(UNKNOWN);
    }

    /** The severity named {@code text} (any case), or empty. */
    public static Optional<Severity> find(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String upper = text.trim().toUpperCase(Locale.ROOT);
        for (Severity severity : values()) {
            if (severity.name().equals(upper)) {
                return Optional.of(severity);
            }
        }
        return Optional.empty();
    }
}
