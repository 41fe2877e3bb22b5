package dev.hardening.registration;

import dev.hardening.HardeningConfig;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The registration settings, checked once: every error is collected with the setting it concerns, so a bad
 * configuration is reported whole and registers nothing.
 */
public record WebhookSettings(String configurationName, String namespace, String serviceName, Optional<String> url,
                              String failurePolicy, int timeoutSeconds, List<String> excludedNamespaces) {

    public static final String WEBHOOK_NAME = "validate.hardening.dev";

    public WebhookSettings {
        excludedNamespaces = List.copyOf(excludedNamespaces);
    }

    public static WebhookSettings of(HardeningConfig config) {
        HardeningConfig.Webhook w = config.webhook();
        return new WebhookSettings(w.configurationName(), config.namespace(), w.serviceName(), w.url(),
                w.failurePolicy(), w.timeoutSeconds(), w.excludedNamespaces().orElse(List.of()));
    }

    public List<String> errors() {
        List<String> errors = new ArrayList<>();
        if (!failurePolicy.equals("Fail") && !failurePolicy.equals("Ignore")) {
            errors.add("hardening.webhook.failure-policy: must be Fail or Ignore, got \"" + failurePolicy + "\"");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 30) {
            errors.add("hardening.webhook.timeout-seconds: must be between 1 and 30 (the API server's limits), got "
                    + timeoutSeconds);
        }
        url.ifPresent(u -> {
            try {
                URI parsed = URI.create(u);
                if (!"https".equals(parsed.getScheme()) || parsed.getHost() == null) {
                    errors.add("hardening.webhook.url: must be an https URL with a host, got \"" + u + "\"");
                }
            } catch (IllegalArgumentException e) {
                errors.add("hardening.webhook.url: not a URL: \"" + u + "\"");
            }
        });
        return errors;
    }

    /** Local mode: the API server calls a URL, so the certificate also needs loopback names. */
    public boolean local() {
        return url.isPresent();
    }
}
