package dev.hardening.cli;

import dev.hardening.policy.PolicyMode;
import dev.hardening.rules.Profile;
import dev.hardening.rules.Violation;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every rule's autofix against every rule fixture (src/test/resources/rules/&#42;/&#42;/&#42;.yaml, the shapes each
 * rule was written for): after fix, no finding that has an autofix is left, and a second fix changes nothing.
 */
class RuleFixturesFixTest {

    static Stream<Arguments> fixtures() throws IOException, URISyntaxException {
        Path rules = Path.of(RuleFixturesFixTest.class.getResource("/rules").toURI());
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> files = Files.walk(rules)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                cases.add(arguments(Named.of(rules.relativize(file).toString(), file)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyAutofixIsAppliedAndASecondFixIsANoOp(Path file) throws Exception {
        ManifestFixer fixer = new ManifestFixer(List.of(PolicyLoader.profile(Profile.Hardened, PolicyMode.Enforce)),
                Instant.parse("2026-01-01T00:00:00Z"));
        Source source = new Source(file.getFileName().toString(), file, Files.readString(file), true);

        ManifestFixer.Result fixed = fixer.fix(source);

        List<String> left = new ArrayList<>();
        fixed.report().objects().forEach(o -> o.findings().forEach(f -> {
            Violation violation = f.finding().violation();
            if (violation.autofix() != null) {
                left.add(violation.describe() + " (" + fixed.unapplied(o, violation) + ")");
            }
        }));
        assertThat(left).as("findings with an autofix after fix").isEmpty();
        ManifestFixer.Result again = fixer.fix(new Source(source.name(), file, fixed.text(), true));
        assertThat(again.applied()).isZero();
        assertThat(again.text()).isEqualTo(fixed.text());
    }
}
