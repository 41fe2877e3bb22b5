package dev.hardening.engine;

import dev.hardening.rules.Violation;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An exemption prepared for matching: it covers a violation when the rule is listed and every selector it sets
 * matches. A pod-level violation (or a Service's) has no container or image, so only an exemption without container
 * and image selectors covers it; {@code names} selects objects and applies to every violation.
 *
 * @param names      object names (metadata.name); empty means any
 * @param containers container names; empty means any
 * @param images     image globs ({@code *} any run of characters, {@code ?} one); empty means any
 * @param expires    first instant at which the exemption no longer applies; {@code null} for never
 */
public record CompiledExemption(int index, Set<String> rules, Set<String> names, Set<String> containers,
                                List<String> images, String reason, Instant expires, List<Pattern> imagePatterns) {

    public CompiledExemption(int index, Set<String> rules, Set<String> names, Set<String> containers, List<String> images,
                             String reason, Instant expires) {
        this(index, Set.copyOf(rules), Set.copyOf(names), Set.copyOf(containers), List.copyOf(images), reason, expires,
                images.stream().map(CompiledExemption::globToPattern).toList());
    }

    /** An exemption that names no object. */
    public CompiledExemption(int index, Set<String> rules, Set<String> containers, List<String> images,
                             String reason, Instant expires) {
        this(index, rules, Set.of(), containers, images, reason, expires);
    }

    public boolean expiredAt(Instant now) {
        return expires != null && !now.isBefore(expires);
    }

    /** @param objectName metadata.name of the object the violation was found in (null for a generateName create) */
    public boolean covers(Violation violation, String objectName, Instant now) {
        if (!rules.contains(violation.ruleId()) || expiredAt(now)) {
            return false;
        }
        if (!names.isEmpty() && (objectName == null || !names.contains(objectName))) {
            return false;
        }
        if (violation.container() == null) {
            return containers.isEmpty() && images.isEmpty();
        }
        if (!containers.isEmpty() && !containers.contains(violation.container())) {
            return false;
        }
        return imagePatterns.isEmpty() || imageMatches(violation.image());
    }

    private boolean imageMatches(String image) {
        if (image == null) {
            return false;
        }
        for (Pattern pattern : imagePatterns) {
            if (pattern.matcher(image).matches()) {
                return true;
            }
        }
        return false;
    }

    static Pattern globToPattern(String glob) {
        StringBuilder regex = new StringBuilder(glob.length() + 8);
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString());
    }
}
