/**
 * Infrastructure: the startup preflight (with the supported-Kubernetes warning), leader election
 * ({@code Leadership}, {@code LeaderElection}, {@code LeaderWork}) and the webhook's leader work
 * ({@code WebhookLeadership}: registration and self-managed certificates). May use the engine, the configuration, {@code tls} and {@code registration}.
 */
package dev.hardening.lifecycle;
