package dev.hardening.rules;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream Pod Security checks behind each rule, as each rule class declares them, written to the file the parity
 * tool reads ({@code hack/psa-parity}), so that the tool keeps no list of rules of its own.
 * {@code -Dhardening.regenerate=true} (hack/regenerate.sh) rewrites it instead of failing.
 */
class PodSecurityChecksTest {

    static final Path COMMITTED = Path.of("hack/psa-parity/checks.txt");

    static String render() {
        StringBuilder out = new StringBuilder()
                .append("# Generated from each rule's RuleInfo (podSecurityChecks) by hack/regenerate.sh; do not edit.\n")
                .append("# <rule id> <upstream Pod Security check id>...: a fixture is allowed upstream when all its checks allow it.\n");
        for (Rule rule : RuleCatalogue.all()) {
            if (!rule.podSecurityChecks().isEmpty()) {
                out.append(rule.id()).append(' ').append(String.join(" ", rule.podSecurityChecks())).append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void parityToolReadsTheChecksTheRulesDeclare() throws IOException {
        String rendered = render();
        if (Boolean.getBoolean("hardening.regenerate")) {
            Files.writeString(COMMITTED, rendered, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
                .as("%s is stale: run hack/regenerate.sh", COMMITTED)
                .isEqualTo(rendered);
    }

    /** Baseline and Restricted are upstream's standards: each of their rules says which upstream check it follows. */
    @Test
    void everyPodSecurityRuleNamesItsUpstreamChecksAndNoOtherRuleDoes() {
        for (Rule rule : RuleCatalogue.all()) {
            boolean podSecurity = rule.profile() == Profile.Baseline || rule.profile() == Profile.Restricted;
            if (podSecurity) {
                assertThat(rule.podSecurityChecks()).as("upstream checks of %s", rule.id())
                        .isNotEmpty().allMatch(id -> id.matches("[A-Za-z_]+"));
            } else {
                assertThat(rule.podSecurityChecks()).as("upstream checks of %s", rule.id()).isEmpty();
            }
        }
    }
}
