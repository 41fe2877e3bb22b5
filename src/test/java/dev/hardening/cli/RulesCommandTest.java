package dev.hardening.cli;

import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleCatalogue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hardening rules} and {@code hardening explain}: the catalogue and the rule reference, from the registry. */
class RulesCommandTest {

    @Test
    void rulesListsEveryRuleWithItsProfilesOnOneLine() {
        Cli run = Cli.run("rules");

        assertThat(run.exitCode()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines.get(0)).matches("RULE +PROFILES +TITLE");
        assertThat(lines).hasSize(RuleCatalogue.all().size() + 1);
        assertThat(lines).anyMatch(l -> l.matches("no-privileged +Baseline,Restricted,Hardened +\\S.*"))
                .anyMatch(l -> l.matches("run-as-non-root +Restricted,Hardened +\\S.*"))
                .anyMatch(l -> l.matches("image-digest +Hardened +\\S.*"))
                .anyMatch(l -> l.matches("image-tag +opt-in +\\S.*"));
        for (int i = 0; i < RuleCatalogue.all().size(); i++) {
            Rule rule = RuleCatalogue.all().get(i);
            assertThat(lines.get(i + 1)).startsWith(rule.id() + " ").endsWith("  " + rule.title());
        }
    }

    @Test
    void explainPrintsTheRulesEntryOfDocsRulesMdWithBothExamples() throws IOException {
        String reference = Files.readString(Path.of("docs/rules.md"));
        for (Rule rule : RuleCatalogue.all()) {
            Cli run = Cli.run("explain", rule.id());

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).startsWith("### " + rule.id() + "\n").contains("Fails:", "Passes:", "**Fix:**");
            assertThat(reference).as("docs/rules.md holds what explain prints for %s", rule.id()).contains(run.out());
        }
    }

    @Test
    void anUnknownRuleIsAUsageError() {
        Cli run = Cli.run("explain", "no-such-rule");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).first().isEqualTo("error: unknown rule \"no-such-rule\"; 'hardening rules' lists them");
    }
}
