/**
 * Engine: the HardeningPolicy custom resource model, the Java form of the CRD (generated from it, with its schema
 * customizers {@code SchemaPatch}, {@code RuleIdEnum}, {@code RuleCountLimit}, {@code PrinterColumnOrder}): spec,
 * status, rule entries, exemptions, modes. What a policy does lives in {@code dev.hardening.engine}. May use
 * {@code dev.hardening.rules} (the rule ids), Jackson and the fabric8 model; never {@code engine}, a framework or
 * the Kubernetes client.
 */
package dev.hardening.policy;
