package dev.hardening.rules.release;

import dev.hardening.rules.PodTarget;
import dev.hardening.rules.RuleSettings;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented examples tell the truth: the failing snippet fails its rule, the passing one passes. */
class ReleaseRuleExamplesTest {

    /** image-registry's examples are written for a policy that allows registry.example.com/. */
    private static final RuleSettings SETTINGS = new RuleSettings(List.of("registry.example.com/"));

    @TestFactory
    Stream<DynamicTest> examplesMatchTheirVerdicts() {
        return ReleaseRules.ALL.stream().flatMap(rule -> Stream.of(
                DynamicTest.dynamicTest(rule.id() + " failing example fails",
                        () -> assertThat(rule.evaluate(asPod(rule.example().failing()), SETTINGS)).isNotEmpty()
                                .allSatisfy(v -> assertThat(v.ruleId()).isEqualTo(rule.id()))),
                DynamicTest.dynamicTest(rule.id() + " passing example passes",
                        () -> assertThat(rule.evaluate(asPod(rule.example().passing()), SETTINGS)).isEmpty())));
    }

    @TestFactory
    Stream<DynamicTest> examplesStartAtSpec() {
        return ReleaseRules.ALL.stream().map(rule -> DynamicTest.dynamicTest(rule.id(), () -> {
            assertThat(rule.example().failing()).startsWith("spec:\n");
            assertThat(rule.example().passing()).startsWith("spec:\n");
        }));
    }

    private static PodTarget asPod(String specYaml) {
        return Manifests.target("apiVersion: v1\nkind: Pod\nmetadata:\n  name: example\n" + specYaml);
    }
}
