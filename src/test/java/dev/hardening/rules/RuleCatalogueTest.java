package dev.hardening.rules;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RuleCatalogueTest {

    private static final Set<String> PUBLIC_IDS = Set.of(
            "no-privileged", "no-host-namespaces", "no-host-path", "no-host-ports", "no-host-process",
            "baseline-capabilities", "no-unconfined-seccomp", "safe-sysctls", "default-proc-mount",
            "selinux-options", "apparmor-profile", "no-probe-host",
            "run-as-non-root", "no-privilege-escalation", "drop-all-capabilities", "seccomp-profile",
            "restricted-volume-types",
            "image-digest", "image-tag", "image-registry", "resource-limits", "resource-requests",
            "read-only-root-filesystem", "no-plaintext-secrets", "health-probes");

    @Test
    void catalogueHoldsExactlyThePublicRuleIds() {
        assertThat(RuleCatalogue.ids()).containsExactlyInAnyOrderElementsOf(PUBLIC_IDS);
    }

    @Test
    void everyRuleIsFullyDocumented() {
        for (Rule rule : RuleCatalogue.all()) {
            assertThat(rule.id()).matches("[a-z][a-z0-9-]*[a-z0-9]");
            assertThat(rule.title()).as("title of %s", rule.id()).isNotBlank();
            assertThat(rule.description()).as("description of %s", rule.id()).isNotBlank();
            assertThat(rule.rationale()).as("rationale of %s", rule.id()).isNotBlank();
            assertThat(rule.remediation()).as("remediation of %s", rule.id()).isNotBlank();
            assertThat(rule.example().failing()).as("failing example of %s", rule.id()).isNotBlank();
            assertThat(rule.example().passing()).as("passing example of %s", rule.id()).isNotBlank();
        }
    }

    @Test
    void titlesAreUnique() {
        Set<String> titles = new HashSet<>();
        for (Rule rule : RuleCatalogue.all()) {
            assertThat(titles.add(rule.title())).as("duplicate title %s", rule.title()).isTrue();
        }
    }

    @Test
    void profilesNestAndOnlyNameCatalogueRules() {
        assertThat(Profile.RESTRICTED.ruleIds()).containsAll(Profile.BASELINE.ruleIds());
        assertThat(Profile.HARDENED.ruleIds()).containsAll(Profile.RESTRICTED.ruleIds());
        assertThat(Profile.NONE.ruleIds()).isEmpty();
        assertThat(RuleCatalogue.ids()).containsAll(Profile.HARDENED.ruleIds());
        assertThat(Profile.HARDENED.ruleIds()).doesNotContain("image-tag", "image-registry", "resource-requests");
    }
}
