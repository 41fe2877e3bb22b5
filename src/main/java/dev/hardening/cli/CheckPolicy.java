package dev.hardening.cli;

import dev.hardening.engine.CompiledPolicy;

/**
 * A policy a check applies.
 *
 * @param name   how the report names it: {@code namespace/name} of a policy file, or {@code Hardened} for a profile
 * @param origin where it comes from: {@code file:line:column} or {@code --profile}
 */
record CheckPolicy(CompiledPolicy compiled, String name, String origin) {
}
