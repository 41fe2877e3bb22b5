package dev.hardening;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The one check of the settings, run at start before anything uses them (the startup preflight): every setting that
 * cannot work is reported, all of them together, each as {@code <property>: must be <allowed values>, got <value>},
 * so one restart is enough to see what to fix. The classes that use a setting trust it.
 */
public final class ConfigCheck {

    /** The API server's limits for a webhook's timeoutSeconds. */
    public static final int MAX_TIMEOUT_SECONDS = 30;
    public static final int MAX_PAGE_SIZE = 10_000;
    /** 2000 results of about 500 bytes stay under 1 MiB, below etcd's 1.5 MiB request limit. */
    public static final int MAX_RESULTS = 2000;
    /** Two DNS-1123 names: the Certificate's namespace and name. */
    private static final Pattern INJECT_CA_FROM = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?");

    private ConfigCheck() {
    }

    /** Every invalid setting, in the order of {@link HardeningConfig}; empty when all of them can work. */
    public static List<String> errors(HardeningConfig config) {
        List<String> errors = new ArrayList<>();
        HardeningConfig.Webhook webhook = config.webhook();
        oneOf(errors, "hardening.webhook.failure-policy", webhook.failurePolicyText(),
                HardeningConfig.FailurePolicy.values(), HardeningConfig.FailurePolicy::name);
        between(errors, "hardening.webhook.timeout-seconds", webhook.timeoutSeconds(), 1, MAX_TIMEOUT_SECONDS,
                " (the API server's limits)");
        if (webhook.controllerChildren() == HardeningConfig.ControllerChildren.Trust
                && webhook.controllerUsernames().stream().allMatch(u -> u.trim().isEmpty())) {
            errors.add("hardening.webhook.controller-usernames: must name at least one user when "
                    + "hardening.webhook.controller-children is Trust");
        }
        webhook.url().ifPresent(u -> {
            try {
                URI parsed = URI.create(u);
                if (!"https".equals(parsed.getScheme()) || parsed.getHost() == null) {
                    errors.add("hardening.webhook.url: must be an https URL with a host, got \"" + u + "\"");
                }
            } catch (IllegalArgumentException e) {
                errors.add("hardening.webhook.url: not a URL: \"" + u + "\"");
            }
        });
        if (webhook.maxConnections() < 1) {
            errors.add("hardening.webhook.max-connections: must be at least 1, got " + webhook.maxConnections());
        }
        oneOf(errors, "hardening.certificates.mode", config.certificates().modeText(),
                HardeningConfig.CertificateMode.values(), HardeningConfig.CertificateMode::value);
        config.certificates().injectCaFrom().ifPresent(from -> {
            if (!INJECT_CA_FROM.matcher(from).matches()) {
                errors.add("hardening.certificates.inject-ca-from: must be <namespace>/<certificate name>, got \"" + from + "\"");
            } else if (!HardeningConfig.CertificateMode.CERT_MANAGER.value().equals(config.certificates().modeText())) {
                errors.add("hardening.certificates.inject-ca-from: only with hardening.certificates.mode cert-manager, got mode \""
                        + config.certificates().modeText() + "\"");
            }
        });
        between(errors, "hardening.audit.page-size", config.audit().pageSize(), 1, MAX_PAGE_SIZE, "");
        between(errors, "hardening.reports.max-results", config.reports().maxResults(), 1, MAX_RESULTS, "");
        between(errors, "hardening.scan.max-digests", config.scan().maxDigests(), 1, 1_000_000, "");
        return errors;
    }

    private static <E> void oneOf(List<String> errors, String property, String value, E[] allowed,
                                  Function<E, String> spelling) {
        List<String> values = Arrays.stream(allowed).map(spelling).toList();
        if (!values.contains(value)) {
            String last = values.get(values.size() - 1);
            String choices = values.size() == 1 ? last
                    : String.join(", ", values.subList(0, values.size() - 1)) + " or " + last;
            errors.add(property + ": must be " + choices + ", got \"" + value + "\"");
        }
    }

    private static void between(List<String> errors, String property, int value, int min, int max, String why) {
        if (value < min || value > max) {
            errors.add(property + ": must be between " + min + " and " + max + why + ", got " + value);
        }
    }
}
