package dev.hardening.rules.baseline;

import dev.hardening.rules.PodTarget;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented baseline examples tell the truth: each failing snippet fails its rule, each passing one passes. */
class BaselineRuleExamplesTest {

    @TestFactory
    Stream<DynamicTest> examplesMatchTheirVerdicts() {
        return BaselineRules.ALL.stream().flatMap(rule -> Stream.of(
                DynamicTest.dynamicTest(rule.id() + " failing example fails", () -> {
                    assertThat(rule.example().failing()).startsWith("spec:\n");
                    assertThat(rule.evaluate(asPod(rule.example().failing()), RuleSettings.DEFAULTS)).isNotEmpty()
                            .allSatisfy(v -> assertThat(v.ruleId()).isEqualTo(rule.id()));
                }),
                DynamicTest.dynamicTest(rule.id() + " passing example passes", () -> {
                    assertThat(rule.example().passing()).startsWith("spec:\n");
                    assertThat(rule.evaluate(asPod(rule.example().passing()), RuleSettings.DEFAULTS)).isEmpty();
                })));
    }

    private static PodTarget asPod(String specYaml) {
        Pod pod = Serialization.unmarshal("apiVersion: v1\nkind: Pod\nmetadata:\n  name: example\n" + specYaml, Pod.class);
        return PodTarget.of(WorkloadKind.POD, pod);
    }
}
