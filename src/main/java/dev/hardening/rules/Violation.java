package dev.hardening.rules;

import java.util.Objects;

/**
 * One hardening problem found in a submitted object.
 *
 * @param ruleId    the catalogue id of the rule that found it
 * @param path      field path inside the submitted object, e.g. {@code spec.template.spec.containers[0].image}
 * @param container container name, or {@code null} for a pod-level problem
 * @param image     the offending container's image, or {@code null} for a pod-level problem
 * @param message   what is wrong, one line, never containing a secret value
 * @param fix       what to change, one line
 * @param autofix   the same fix for a tool to apply ({@code hardening fix}), or {@code null} when it needs a human
 */
public record Violation(String ruleId, String path, String container, String image, String message, String fix,
                        Autofix autofix) {

    public Violation {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
    }

    /** A violation only a human can fix. */
    public Violation(String ruleId, String path, String container, String image, String message, String fix) {
        this(ruleId, path, container, image, message, fix, null);
    }

    public boolean podLevel() {
        return container == null;
    }

    /** {@code [rule] container "x": message; fix} — the form used in denials, warnings and logs. */
    public String describe() {
        StringBuilder line = new StringBuilder(160).append('[').append(ruleId).append("] ");
        if (container != null) {
            line.append("container \"").append(container).append("\": ");
        }
        return line.append(message).append("; ").append(fix).toString();
    }
}
