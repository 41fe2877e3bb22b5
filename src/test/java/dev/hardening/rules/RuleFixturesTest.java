package dev.hardening.rules;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs every rule over its fixture corpus: allowed manifests yield nothing, denied ones exactly the expected violations. */
class RuleFixturesTest {

    @TestFactory
    Stream<DynamicNode> everyRuleAgainstItsFixtures() {
        return RuleCatalogue.all().stream().map(rule -> DynamicContainer.dynamicContainer(rule.id(), Stream.concat(
                fixtures(rule, "allowed").map(file -> DynamicTest.dynamicTest("allowed/" + file.getFileName(),
                        () -> assertAllowed(rule, RuleFixture.load(file)))),
                fixtures(rule, "denied").map(file -> DynamicTest.dynamicTest("denied/" + file.getFileName(),
                        () -> assertDenied(rule, RuleFixture.load(file)))))));
    }

    @Test
    void everyRuleHasAtLeastTwoAllowedAndTwoDeniedFixtures() {
        for (Rule rule : RuleCatalogue.all()) {
            assertThat(fixtures(rule, "allowed").count()).as("allowed fixtures of %s", rule.id()).isGreaterThanOrEqualTo(2);
            assertThat(fixtures(rule, "denied").count()).as("denied fixtures of %s", rule.id()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void everyFixtureFolderBelongsToARule() throws IOException {
        try (Stream<Path> dirs = Files.list(RuleFixture.ROOT)) {
            Set<String> folders = dirs.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
            assertThat(folders).containsExactlyInAnyOrderElementsOf(RuleCatalogue.ids());
        }
    }

    private static void assertAllowed(Rule rule, RuleFixture fixture) {
        assertThat(fixture.expected()).as("allowed fixture %s must not declare # expect lines", fixture.file()).isEmpty();
        assertThat(fixture.targetFor(rule).violationsOf(rule, fixture.settings()))
                .as("violations of %s in %s", rule.id(), fixture.file())
                .isEmpty();
    }

    private static void assertDenied(Rule rule, RuleFixture fixture) {
        assertThat(fixture.expected()).as("denied fixture %s needs # expect lines", fixture.file()).isNotEmpty();
        List<Violation> violations = fixture.targetFor(rule).violationsOf(rule, fixture.settings());
        assertThat(violations).allSatisfy(v -> {
            assertThat(v.ruleId()).isEqualTo(rule.id());
            assertThat(v.message()).isNotBlank();
            assertThat(v.fix()).isNotBlank();
        });
        Set<String> actual = violations.stream().map(RuleFixture::describe).collect(Collectors.toCollection(TreeSet::new));
        assertThat(actual)
                .as("violations of %s in %s", rule.id(), fixture.file())
                .containsExactlyElementsOf(fixture.expected());
    }

    private static Stream<Path> fixtures(Rule rule, String verdict) {
        Path dir = RuleFixture.ROOT.resolve(rule.id()).resolve(verdict);
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().collect(Collectors.toList()).stream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
