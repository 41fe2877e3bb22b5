/**
 * Engine: the HardeningPolicy custom resource model (the CRD is generated from it, with its schema customizers), its
 * validation and compilation ({@link dev.hardening.policy.PolicyCompiler} to
 * {@link dev.hardening.policy.CompiledPolicy}), exemptions, the update ratchet and
 * {@link dev.hardening.policy.AdmissionDecider}; {@link dev.hardening.policy.PolicyIndex} is what admission reads.
 * May use {@code dev.hardening.rules}, Jackson and the fabric8 model, never a framework or the Kubernetes client.
 */
package dev.hardening.policy;
