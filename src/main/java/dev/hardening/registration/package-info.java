/**
 * Infrastructure: the ValidatingWebhookConfiguration: its content ({@code WebhookConfigurationFactory}), keeping it
 * in place ({@code WebhookRegistration}), its owner, and the registration settings. May use the engine, the
 * configuration and {@code tls}.
 */
package dev.hardening.registration;
