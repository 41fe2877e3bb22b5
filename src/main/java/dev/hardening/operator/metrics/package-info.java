/**
 * The readiness gauge a replica exports about itself ({@code hardening_ready}); the certificate-expiry gauge lives
 * with the certificates in {@code tls}. May use the configuration.
 */
package dev.hardening.operator.metrics;
