/**
 * Engine: the release-checklist rules (image pinning and registries, resources, probes, read-only root filesystem,
 * plaintext secrets), those the Hardened profile adds and the opt-in ones. May use {@code dev.hardening.rules} and
 * the fabric8 model only.
 */
package dev.hardening.rules.release;
