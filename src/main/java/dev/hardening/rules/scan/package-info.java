/**
 * The rules about what a scanner found in an image: {@code image-vulnerabilities} and {@code image-scanned}. Both
 * are opt-in, configured by a policy's {@code spec.scan}, and read scans by manifest digest through
 * {@link dev.hardening.rules.ScanLookup}, never from a registry.
 */
package dev.hardening.rules.scan;
