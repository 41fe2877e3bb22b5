package dev.hardening.rules;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RuleReferenceTest {

    private static final Path COMMITTED = Path.of("docs/rules.md");

    /** Fails when docs/rules.md is stale; {@code -Dhardening.regenerate=true} rewrites it instead. */
    @Test
    void committedReferenceMatchesTheCatalogue() throws IOException {
        String rendered = RuleReference.render();
        if (Boolean.getBoolean("hardening.regenerate")) {
            Files.writeString(COMMITTED, rendered, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
        assertThat(committed)
                .as("docs/rules.md is out of date with the rule catalogue; regenerate it with `%s` and commit it",
                        RuleReference.REGENERATE)
                .isEqualTo(rendered);
    }

    @Test
    void everyRuleHasASectionAMatrixRowAndAContentsEntry() {
        String rendered = RuleReference.render();
        for (Rule rule : RuleCatalogue.all()) {
            assertThat(rendered).contains("\n### " + rule.id() + "\n")
                    .contains("- [" + rule.id() + "](#" + rule.id() + "): " + rule.title() + "\n")
                    .contains("| [" + rule.id() + "](#" + rule.id() + ") |");
        }
    }

    @Test
    void rendersProfilesMatrixAndOptInFromTheRulesFacts() {
        Rule profiled = fixed("run-as-non-root", Profile.Restricted, "Run as non-root");
        Rule optIn = fixed("image-tag", Profile.None, "Pinned tag");
        String rendered = RuleReference.render(List.of(profiled, optIn));

        assertThat(rendered)
                .contains("| Rule | Baseline | Restricted | Hardened | None |\n")
                .contains("| [run-as-non-root](#run-as-non-root) |  | ✓ | ✓ |  |\n")
                .contains("| [image-tag](#image-tag) |  |  |  |  |\n")
                .contains("**Run as non-root** · profiles: Restricted, Hardened\n")
                .contains("**Pinned tag** · opt-in (no profile)\n")
                .contains("**Checks:** checks run-as-non-root\n")
                .contains("**Why:** because\n")
                .contains("Fails:\n\n```yaml\nspec:\n  bad: true\n```\n")
                .contains("Passes:\n\n```yaml\nspec:\n  bad: false\n```\n")
                .contains("**Fix:** fix it\n");
        assertThat(rendered.indexOf("### run-as-non-root")).isLessThan(rendered.indexOf("### image-tag"));
    }

    private static Rule fixed(String id, Profile profile, String title) {
        return new AbstractRule(new RuleInfo(id, profile, title, "checks " + id, "because", "fix it",
                new RuleExample("spec:\n  bad: true\n", "spec:\n  bad: false\n"))) {
            @Override
            public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
                return List.of();
            }
        };
    }
}
