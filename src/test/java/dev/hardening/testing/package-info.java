/**
 * Test helpers shared by the tests of every package, and only those: manifests as a user writes them
 * ({@code Manifests}), policies from their YAML ({@code PolicyYaml}, {@code TestPolicies}), stub rules, a fixed policy
 * index, the test configuration and a clock the test moves. A helper one package's tests use stays next to them.
 */
package dev.hardening.testing;
