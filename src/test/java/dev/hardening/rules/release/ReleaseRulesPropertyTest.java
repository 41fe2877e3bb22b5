package dev.hardening.rules.release;

import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleCatalogue;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Odd input never makes a release rule throw, and what it says stays on one line (surefire property-tests execution). */
class ReleaseRulesPropertyTest {

    /** The catalogue's rules of this package, in documentation order. */
    private static final List<Rule> RELEASE_RULES = RuleCatalogue.all().stream()
            .filter(rule -> rule.getClass().getPackageName().equals("dev.hardening.rules.release")).toList();

    private static final RuleSettings SETTINGS = new RuleSettings(List.of("registry.example.com/"));

    @Property(tries = 500)
    void anyImageOrEnvIsAVerdictNotAnException(@ForAll String image, @ForAll String envName, @ForAll String envValue) {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .addNewInitContainer().withName("init").withImage(image).endInitContainer()
                .addNewContainer().withName("app").withImage(image)
                .addNewEnv().withName(envName).withValue(envValue).endEnv().endContainer()
                .addNewEphemeralContainer().withName("debug").withImage(image).endEphemeralContainer()
                .endSpec().build();
        PodTarget target = PodTarget.of(WorkloadKind.POD, pod);

        for (Rule rule : RELEASE_RULES) {
            for (Violation violation : rule.evaluate(target, SETTINGS)) {
                assertThat(violation.ruleId()).isEqualTo(rule.id());
                assertThat(violation.message()).isNotBlank().doesNotContain("\n", "\r");
                assertThat(violation.fix()).isNotBlank().doesNotContain("\n", "\r");
            }
        }
    }
}
