package dev.hardening.rules.scan;

import dev.hardening.rules.AbstractRule;
import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.ImageReference;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Base of the scan rules: each container's image, parsed once, judged on its own. */
abstract class ScanRule extends AbstractRule {

    /** How long a piece of scan data may be in a message: scans come from namespaced reports too, written by anyone. */
    private static final int TEXT_MAX = 80;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    ScanRule(RuleInfo info) {
        super(info);
    }

    @Override
    public final boolean readsScans() {
        return true;
    }

    @Override
    public final List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerRef container : target.containers()) {
            check(container, ImageReference.parse(container.image()), settings).ifPresent(violations::add);
        }
        return violations;
    }

    abstract Optional<Violation> check(ContainerRef container, ImageReference image, RuleSettings settings);

    final Optional<Violation> imageViolation(ContainerRef container, String message, String fix) {
        return Optional.of(violation(container, "image", message, fix));
    }

    /**
     * Scan data as a message may show it: printable ASCII and the usual version characters only (anything else
     * escaped), cut at a length, so that a hostile report cannot break or flood the line.
     */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "?";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), TEXT_MAX) + 8);
        int limit = Math.min(value.length(), TEXT_MAX);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != ';' && c != ',') {
                out.append(c);
            } else {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        if (value.length() > limit) {
            out.append("...");
        }
        return out.toString();
    }

    static String day(Instant instant) {
        return instant == null ? "unknown date" : DAY.format(instant);
    }
}
