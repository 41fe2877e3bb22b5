package dev.hardening.lifecycle;

import dev.hardening.HardeningConfig;
import dev.hardening.policy.PolicyMode;
import dev.hardening.rules.Profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The cluster-default policy's settings, checked with the other settings at startup: every error is collected with
 * the setting it concerns, so a bad value stops the operator before it writes anything.
 */
public record DefaultPolicySettings(boolean enabled, String namespace, String name, String profile, String mode) {

    /** A DNS-1123 subdomain, what the API server accepts as an object name. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    public static DefaultPolicySettings of(HardeningConfig config) {
        HardeningConfig.DefaultPolicy d = config.defaultPolicy();
        return new DefaultPolicySettings(d.enabled(), config.namespace(), d.name(), d.profile(), d.mode());
    }

    public List<String> errors() {
        List<String> errors = new ArrayList<>();
        if (name.length() > 253 || !NAME.matcher(name).matches()) {
            errors.add("hardening.default-policy.name: must be a lowercase DNS-1123 name, got \"" + name + "\"");
        }
        if (Arrays.stream(Profile.values()).noneMatch(p -> p.name().equals(profile))) {
            errors.add("hardening.default-policy.profile: must be " + choices(Profile.values()) + ", got \""
                    + profile + "\"");
        }
        if (Arrays.stream(PolicyMode.values()).noneMatch(m -> m.name().equals(mode))) {
            errors.add("hardening.default-policy.mode: must be " + choices(PolicyMode.values()) + ", got \"" + mode + "\"");
        }
        return errors;
    }

    private static String choices(Enum<?>[] values) {
        List<String> names = Arrays.stream(values).map(Enum::name).toList();
        return names.subList(0, names.size() - 1).stream().collect(Collectors.joining(", ")) + " or "
                + names.get(names.size() - 1);
    }
}
