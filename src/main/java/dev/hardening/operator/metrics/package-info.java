/**
 * Gauges the operator exports about itself: readiness and the served certificate's expiry. May use {@code tls} and
 * the configuration.
 */
package dev.hardening.operator.metrics;
