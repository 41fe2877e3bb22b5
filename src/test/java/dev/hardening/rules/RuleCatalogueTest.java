package dev.hardening.rules;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RuleCatalogueTest {

    /**
     * The registry lists every rule class and nothing else; {@code -Dhardening.regenerate=true} (hack/regenerate.sh)
     * rewrites it instead. Removing a rule or changing an id also changes the committed docs/rules.md and CRD, which
     * their own freshness tests check: the public ids cannot change unnoticed.
     */
    @Test
    void registryListsEveryRuleClass() throws IOException {
        String rendered = RuleRegistry.render();
        if (Boolean.getBoolean("hardening.regenerate")) {
            Files.writeString(RuleRegistry.COMMITTED, rendered, StandardCharsets.UTF_8);
            return;
        }
        assertThat(Files.readString(RuleRegistry.COMMITTED, StandardCharsets.UTF_8))
                .as("%s is stale: run hack/regenerate.sh", RuleRegistry.COMMITTED)
                .isEqualTo(rendered);
        assertThat(RuleCatalogue.all()).extracting(rule -> rule.getClass().getName())
                .containsExactlyElementsOf(RuleRegistry.classNames(rendered));
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
            // one style: plain text, as the CLI and kubectl print it; docs/rules.md sets only the examples as code
            assertThat(List.of(rule.title(), rule.description(), rule.rationale(), rule.remediation()))
                    .as("texts of %s", rule.id()).noneMatch(text -> text.contains("`"));
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
        assertThat(Profile.Restricted.ruleIds()).containsAll(Profile.Baseline.ruleIds());
        assertThat(Profile.Hardened.ruleIds()).containsAll(Profile.Restricted.ruleIds());
        assertThat(Profile.None.ruleIds()).isEmpty();
        assertThat(RuleCatalogue.ids()).containsAll(Profile.Hardened.ruleIds());
        assertThat(Profile.Hardened.ruleIds()).doesNotContain("image-tag", "image-registry", "resource-requests");
    }

    @Test
    void profilesOfARuleFollowFromTheProfileItDeclares() {
        assertThat(RuleCatalogue.profilesOf("run-as-non-root")).containsExactly(Profile.Restricted, Profile.Hardened);
        assertThat(RuleCatalogue.profilesOf("no-privileged"))
                .containsExactly(Profile.Baseline, Profile.Restricted, Profile.Hardened);
        assertThat(RuleCatalogue.profilesOf("image-tag")).as("opt-in").isEmpty();
        assertThat(RuleCatalogue.profilesOf("no-such-rule")).isEmpty();
    }
}
