package dev.hardening.rules;

import java.util.List;

/**
 * Per-policy inputs that some rules need.
 *
 * @param registries allowed image prefixes for {@code image-registry}
 */
public record RuleSettings(List<String> registries) {

    public static final RuleSettings DEFAULTS = new RuleSettings(List.of());

    public RuleSettings {
        registries = registries == null ? List.of() : List.copyOf(registries);
    }
}
