/**
 * Infrastructure: what runs on the leader besides the operator ({@code WebhookLeadership}: registration and
 * self-managed certificates; {@code DefaultPolicyKeeper}: the cluster-default policy) and the startup preflight (with the
 * supported-Kubernetes warning).
 * Leader election itself is {@code lifecycle.leader}. May use the engine, the configuration, {@code tls},
 * {@code registration} and {@code lifecycle.leader}.
 */
package dev.hardening.lifecycle;
