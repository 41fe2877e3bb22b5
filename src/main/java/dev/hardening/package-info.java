/**
 * Configuration: {@link dev.hardening.HardeningConfig}, the typed mapping of every {@code hardening.*} setting, and
 * {@link dev.hardening.ConfigCheck}, the one check of them all at start. Imports no other package of the project:
 * every layer above reads its settings from here.
 */
package dev.hardening;
