/**
 * Engine: the HardeningPolicy custom resource model (the CRD is generated from it, with its schema customizers), its
 * validation and compilation ({@link dev.hardening.engine.PolicyCompiler} to
 * {@link dev.hardening.engine.CompiledPolicy}), exemptions, the update ratchet and
 * {@link dev.hardening.engine.AdmissionDecider}; {@link dev.hardening.engine.PolicyIndex} is what admission reads.
 * May use {@code dev.hardening.rules}, Jackson and the fabric8 model, never a framework or the Kubernetes client.
 */
package dev.hardening.policy;
